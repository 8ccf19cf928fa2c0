package sweep

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"sync"

	"github.com/parquet-go/parquet-go"

	"github.com/paywars/hongbao/sim"
	"gonum.org/v1/gonum/stat/distuv"
)

// The result files are built from records in run order, by one function for
// a single machine and for a merge, so the two give the same bytes:
//
//	runs.csv, runs.parquet   one row per run
//	points.csv               one row per design point: replicates aggregated
//	series.csv, series.parquet  with [series]: run, point, replicate, day, metric, value
//
// Nothing in them depends on the machine, the worker count or the time.

// Result file names.
const (
	RunsCSV       = "runs.csv"
	RunsParquet   = "runs.parquet"
	PointsCSV     = "points.csv"
	SeriesCSV     = "series.csv"
	SeriesParquet = "series.parquet"
	ManifestFile  = "manifest.json"
)

// parquetRowGroup bounds the rows parquet-go buffers before writing a row
// group: memory stays flat however many runs a sweep has.
const parquetRowGroup = 1 << 16

// pendingFile is an output file written under a temporary name, renamed into
// place only once every file of the set is complete.
type pendingFile struct {
	f    *os.File
	bw   *bufio.Writer
	path string
}

func newPendingFile(path string) (*pendingFile, error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return nil, err
	}
	// CreateTemp makes the file private (0600); results are for sharing.
	if err := f.Chmod(0o644); err != nil {
		f.Close()
		os.Remove(f.Name())
		return nil, err
	}
	return &pendingFile{f: f, bw: bufio.NewWriterSize(f, 1<<16), path: path}, nil
}

func (p *pendingFile) Write(b []byte) (int, error) { return p.bw.Write(b) }

// commit flushes, syncs and renames the file into place.
func (p *pendingFile) commit() error {
	if err := p.bw.Flush(); err != nil {
		return err
	}
	if err := p.f.Sync(); err != nil {
		return err
	}
	if err := p.f.Close(); err != nil {
		return err
	}
	return os.Rename(p.f.Name(), p.path)
}

func (p *pendingFile) abort() {
	p.f.Close()
	os.Remove(p.f.Name())
}

// pqColumn is one column of a parquet file built at run time.
type pqColumn struct {
	name string
	typ  reflect.Type
	tag  string // extra parquet tag options, e.g. ",optional"
}

// pqSchema builds a parquet schema whose columns are in the order given,
// as timeseries.parquet's is.
func pqSchema(cols []pqColumn) *parquet.Schema {
	fields := make([]sim.ParquetField, len(cols))
	for i, c := range cols {
		fields[i] = sim.ParquetField{Name: c.name, Type: c.typ, Tag: c.tag}
	}
	return sim.ParquetSchema(fields)
}

var (
	int64Type   = reflect.TypeOf(int64(0))
	uint64Type  = reflect.TypeOf(uint64(0))
	float64Type = reflect.TypeOf(float64(0))
	stringType  = reflect.TypeOf("")
)

// newParquetWriter returns a writer with the settings every sweep file
// shares: zstd pages, bounded row groups, and a fixed created_by so that
// the bytes do not change with the parquet-go build.
func newParquetWriter(w io.Writer, schema *parquet.Schema, hash string) *parquet.GenericWriter[any] {
	return parquet.NewGenericWriter[any](w, schema,
		parquet.Compression(&parquet.Zstd),
		parquet.MaxRowsPerRowGroup(parquetRowGroup),
		parquet.CreatedBy("hongbao", "sweep/1", "none"),
		parquet.KeyValueMetadata("hongbao.sweep_hash", hash),
	)
}

// stats accumulates one output over the replicates of a point (Welford's
// algorithm, in run order so that sums are the same on every machine).
type running struct {
	n        int
	mean, m2 float64
}

func (r *running) add(x float64) {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return
	}
	r.n++
	d := x - r.mean
	r.mean += d / float64(r.n)
	r.m2 += d * (x - r.mean)
}

// summary returns the mean, the sample standard deviation and the 95%
// interval of the mean, mean ± t(0.975; n−1)·sd/√n. With fewer than two
// values the deviation and interval are NaN.
func (r *running) summary() (mean, sd, lo, hi float64) {
	if r.n == 0 {
		return math.NaN(), math.NaN(), math.NaN(), math.NaN()
	}
	if r.n < 2 {
		return r.mean, math.NaN(), math.NaN(), math.NaN()
	}
	sd = math.Sqrt(r.m2 / float64(r.n-1))
	half := tQuantile975(r.n-1) * sd / math.Sqrt(float64(r.n))
	return r.mean, sd, r.mean - half, r.mean + half
}

// tQuantile975 is t(0.975; df), the Student quantile of summary's
// interval. It is kept by degrees of freedom: a point's are its replicates
// less one, the same at every point without failures, and one quantile
// took 80 µs, 43% of writing the NetLogo-scale study's result files (1,024
// points × 7 outputs) and all of it at the end of the sweep, on one core.
func tQuantile975(df int) float64 {
	tCache.Lock()
	defer tCache.Unlock()
	if t, ok := tCache.byDF[df]; ok {
		return t
	}
	t := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(df)}.Quantile(0.975)
	if tCache.byDF == nil || len(tCache.byDF) >= 1024 {
		tCache.byDF = map[int]float64{}
	}
	tCache.byDF[df] = t
	return t
}

// tCache holds tQuantile975's quantiles.
var tCache struct {
	sync.Mutex
	byDF map[int]float64
}

// resultWriter writes the result files of one sweep from its records.
type resultWriter struct {
	spec *Spec
	l    *Layout

	files                  []*pendingFile
	runsCSV, pointsCSV     *csv.Writer
	seriesCSV              *csv.Writer
	runsPQ, seriesPQ       *parquet.GenericWriter[any]
	runsRow, seriesRow     parquet.Row
	rec, pointRec, srsRec  []string
	point, pointN, pointKO int
	acc                    []running
	next                   int64
	failed                 int64
}

// removeStaleTemps removes the temporary files of result files that a
// process killed while writing them left behind: hidden files named after
// our own outputs only, so a shared directory's other files are safe.
func removeStaleTemps(dir string) {
	for _, name := range []string{RunsCSV, RunsParquet, PointsCSV, SeriesCSV, SeriesParquet, ManifestFile, PartFile} {
		matches, _ := filepath.Glob(filepath.Join(dir, "."+name+".tmp*"))
		for _, m := range matches {
			os.Remove(m)
		}
	}
	os.Remove(filepath.Join(dir, JournalFile+".new"))
}

// writeResults writes the result files into dir from next, which must
// yield every run of the sweep exactly once, in run order. The files appear
// together at the end; on error none of them is changed.
func writeResults(dir string, s *Spec, hash string, next func() (*Record, error)) (failed int64, err error) {
	w := &resultWriter{spec: s, l: s.layout, point: -1}
	defer func() {
		if err != nil {
			for _, f := range w.files {
				f.abort()
			}
		}
	}()
	if err := w.open(dir, hash); err != nil {
		return 0, err
	}
	for {
		r, err := next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return 0, err
		}
		if err := w.add(r); err != nil {
			return 0, err
		}
	}
	if w.next != w.l.Runs() {
		return 0, fmt.Errorf("sweep: %d of %d runs", w.next, w.l.Runs())
	}
	if err := w.close(); err != nil {
		return 0, err
	}
	for _, f := range w.files {
		if err := f.commit(); err != nil {
			return 0, err
		}
	}
	syncDir(dir)
	return w.failed, nil
}

func (w *resultWriter) create(dir, name string) (*pendingFile, error) {
	f, err := newPendingFile(filepath.Join(dir, name))
	if err != nil {
		return nil, err
	}
	w.files = append(w.files, f)
	return f, nil
}

func (w *resultWriter) open(dir, hash string) error {
	s := w.spec
	// runs.csv and runs.parquet
	header := []string{"run", "point", "replicate", "seed"}
	cols := []pqColumn{{"run", int64Type, ""}, {"point", int64Type, ""}, {"replicate", int64Type, ""}, {"seed", uint64Type, ""}}
	for _, q := range s.Params {
		header = append(header, q.Name)
		if len(q.Labels) > 0 {
			cols = append(cols, pqColumn{q.Name, stringType, ",dict"})
		} else {
			cols = append(cols, pqColumn{q.Name, float64Type, ""})
		}
	}
	for _, o := range s.Outputs {
		header = append(header, o.Name)
		cols = append(cols, pqColumn{o.Name, float64Type, ""})
	}
	header = append(header, "error")
	cols = append(cols, pqColumn{"error", stringType, ",optional"})

	f, err := w.create(dir, RunsCSV)
	if err != nil {
		return err
	}
	w.runsCSV = csv.NewWriter(f)
	w.runsCSV.Write(header)
	f, err = w.create(dir, RunsParquet)
	if err != nil {
		return err
	}
	w.runsPQ = newParquetWriter(f, pqSchema(cols), hash)
	w.runsRow = make(parquet.Row, len(cols))
	w.rec = make([]string, len(header))

	// points.csv
	ph := []string{"point"}
	for _, q := range s.Params {
		ph = append(ph, q.Name)
	}
	ph = append(ph, "n", "failed")
	for _, o := range s.Outputs {
		ph = append(ph, o.Name+"_mean", o.Name+"_sd", o.Name+"_ci95_lo", o.Name+"_ci95_hi")
	}
	f, err = w.create(dir, PointsCSV)
	if err != nil {
		return err
	}
	w.pointsCSV = csv.NewWriter(f)
	w.pointsCSV.Write(ph)
	w.pointRec = make([]string, len(ph))
	w.acc = make([]running, len(s.Outputs))

	if len(s.Series.Metrics) > 0 {
		sh := []string{"run", "point", "replicate", "day", "metric", "value"}
		f, err = w.create(dir, SeriesCSV)
		if err != nil {
			return err
		}
		w.seriesCSV = csv.NewWriter(f)
		w.seriesCSV.Write(sh)
		f, err = w.create(dir, SeriesParquet)
		if err != nil {
			return err
		}
		scols := []pqColumn{{"run", int64Type, ""}, {"point", int64Type, ""}, {"replicate", int64Type, ""}, {"day", int64Type, ""}, {"metric", stringType, ",dict"}, {"value", float64Type, ""}}
		w.seriesPQ = newParquetWriter(f, pqSchema(scols), hash)
		w.seriesRow = make(parquet.Row, len(scols))
		w.srsRec = make([]string, len(sh))
	}
	return nil
}

// add writes one run's rows and folds it into its point.
func (w *resultWriter) add(r *Record) error {
	s, l := w.spec, w.l
	if r.Run != w.next {
		if r.Run < w.next {
			return fmt.Errorf("sweep: run %d appears twice", r.Run)
		}
		return fmt.Errorf("sweep: run %d is missing", w.next)
	}
	if len(r.Outputs) != len(s.Outputs) {
		return fmt.Errorf("sweep: run %d has %d outputs, the sweep %d", r.Run, len(r.Outputs), len(s.Outputs))
	}
	w.next++
	point, rep := l.PointOf(r.Run)
	if point != w.point {
		if err := w.flushPoint(); err != nil {
			return err
		}
		w.point = point
	}
	seed := s.RunSeed(r.Run)

	rec := w.rec[:0]
	rec = append(rec, strconv.FormatInt(r.Run, 10), strconv.Itoa(point), strconv.Itoa(rep), strconv.FormatUint(seed, 10))
	row := w.runsRow[:0]
	col := 0
	add := func(v parquet.Value) {
		row = append(row, v.Level(0, 0, col))
		col++
	}
	add(parquet.Int64Value(r.Run))
	add(parquet.Int64Value(int64(point)))
	add(parquet.Int64Value(int64(rep)))
	add(parquet.Int64Value(int64(seed)))
	for j, q := range s.Params {
		rec = append(rec, l.Label(point, j))
		if len(q.Labels) > 0 {
			add(parquet.ByteArrayValue([]byte(l.Label(point, j))))
		} else {
			add(parquet.DoubleValue(l.Value(point, j)))
		}
	}
	for k, v := range r.Outputs {
		rec = append(rec, formatFloat(v))
		add(parquet.DoubleValue(v))
		if r.Err == "" {
			w.acc[k].add(v)
		}
	}
	rec = append(rec, r.Err)
	if r.Err == "" {
		row = append(row, parquet.NullValue().Level(0, 0, col))
		w.pointN++
	} else {
		row = append(row, parquet.ByteArrayValue([]byte(r.Err)).Level(0, 1, col))
		w.pointKO++
		w.failed++
	}
	if err := w.runsCSV.Write(rec); err != nil {
		return err
	}
	if _, err := w.runsPQ.WriteRows([]parquet.Row{row}); err != nil {
		return err
	}
	w.runsRow = row

	if w.seriesCSV != nil && r.Err == "" {
		m := len(s.Series.Metrics)
		days := SeriesDays(r.Days, s.Series.Every)
		if len(r.Series) != len(days)*m {
			return fmt.Errorf("sweep: run %d has %d series values for %d days", r.Run, len(r.Series), len(days))
		}
		for d, day := range days {
			for k, name := range s.Series.Metrics {
				v := r.Series[d*m+k]
				sr := append(w.srsRec[:0], strconv.FormatInt(r.Run, 10), strconv.Itoa(point), strconv.Itoa(rep), strconv.Itoa(day), name, formatFloat(v))
				if err := w.seriesCSV.Write(sr); err != nil {
					return err
				}
				srow := append(w.seriesRow[:0],
					parquet.Int64Value(r.Run).Level(0, 0, 0),
					parquet.Int64Value(int64(point)).Level(0, 0, 1),
					parquet.Int64Value(int64(rep)).Level(0, 0, 2),
					parquet.Int64Value(int64(day)).Level(0, 0, 3),
					parquet.ByteArrayValue([]byte(name)).Level(0, 0, 4),
					parquet.DoubleValue(v).Level(0, 0, 5))
				if _, err := w.seriesPQ.WriteRows([]parquet.Row{srow}); err != nil {
					return err
				}
				w.seriesRow = srow
			}
		}
	}
	return nil
}

// flushPoint writes the row of points.csv for the point just finished.
func (w *resultWriter) flushPoint() error {
	if w.point < 0 {
		return nil
	}
	rec := append(w.pointRec[:0], strconv.Itoa(w.point))
	for j := range w.spec.Params {
		rec = append(rec, w.l.Label(w.point, j))
	}
	rec = append(rec, strconv.Itoa(w.pointN), strconv.Itoa(w.pointKO))
	for k := range w.acc {
		mean, sd, lo, hi := w.acc[k].summary()
		rec = append(rec, formatFloat(mean), formatFloat(sd), formatFloat(lo), formatFloat(hi))
		w.acc[k] = running{}
	}
	w.pointN, w.pointKO = 0, 0
	return w.pointsCSV.Write(rec)
}

func (w *resultWriter) close() error {
	if err := w.flushPoint(); err != nil {
		return err
	}
	for _, c := range []*csv.Writer{w.runsCSV, w.pointsCSV, w.seriesCSV} {
		if c == nil {
			continue
		}
		c.Flush()
		if err := c.Error(); err != nil {
			return err
		}
	}
	for _, p := range []*parquet.GenericWriter[any]{w.runsPQ, w.seriesPQ} {
		if p == nil {
			continue
		}
		if err := p.Close(); err != nil {
			return err
		}
	}
	return nil
}
