package scene

// MerchantLayout is the merchant district: a sample of merchants grouped
// by kind, each drawn as a small square striped with the wallets it
// accepts.
type MerchantLayout struct {
	// Merchants are the drawn merchants' ids, kind by kind.
	Merchants []int32
	// Kinds are the blocks of Merchants, one per kind, in the order kinds
	// first appear among merchant ids.
	Kinds []KindBlock
}

// KindBlock is the run of drawn merchants of one kind.
type KindBlock struct {
	Name         string
	First, Count int // Merchants[First:First+Count]
}

// NewMerchantLayout takes every k-th of count merchants (k chosen so that
// at most maxDrawn are drawn; all if maxDrawn ≤ 0) and groups them by the
// kind kindOf reports.
func NewMerchantLayout(count int, kindOf func(m int) string, maxDrawn int) *MerchantLayout {
	stride := 1
	if maxDrawn > 0 && count > maxDrawn {
		stride = (count + maxDrawn - 1) / maxDrawn
	}
	byKind := map[string][]int32{}
	var order []string
	for m := 0; m < count; m += stride {
		k := kindOf(m)
		if _, seen := byKind[k]; !seen {
			order = append(order, k)
		}
		byKind[k] = append(byKind[k], int32(m))
	}
	ml := &MerchantLayout{}
	for _, k := range order {
		ml.Kinds = append(ml.Kinds, KindBlock{Name: k, First: len(ml.Merchants), Count: len(byKind[k])})
		ml.Merchants = append(ml.Merchants, byKind[k]...)
	}
	return ml
}

// Fit chooses the largest square side (from 2 to maxCell pixels) at which
// every kind's block fits side by side in a w×h pixel strip, blocks gap
// pixels apart, each filled column by column with rows squares a column.
// It returns cell 0 if not even 2-pixel squares fit.
func (ml *MerchantLayout) Fit(w, h, gap, maxCell int) (cell, rows int, cols []int) {
	cols = make([]int, len(ml.Kinds))
	for cell = maxCell; cell >= 2; cell-- {
		rows = h / cell
		if rows < 1 {
			continue
		}
		width := gap * max(0, len(ml.Kinds)-1)
		for i, k := range ml.Kinds {
			cols[i] = (k.Count + rows - 1) / rows
			width += cols[i] * cell
		}
		if width <= w {
			return cell, rows, cols
		}
	}
	return 0, 0, cols
}
