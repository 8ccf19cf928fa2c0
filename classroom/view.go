package classroom

import (
	"encoding/json"
	"maps"
	"time"
)

// Viewers of a session other than a team.
const (
	teacherView  = -1
	observerView = -2 // the projector: public figures only
)

// View is what one viewer of a session is sent: the public market, and
// the books of the platforms the viewer may see (its own team's, or all
// for the teacher). A team never receives another team's private figures
// or its decision before the round is played.
type View struct {
	Role         string         `json:"role"` // student, teacher, observer
	Version      int64          `json:"version"`
	Code         string         `json:"code"`
	Scenario     string         `json:"scenario"`
	Phase        Phase          `json:"phase"`
	Round        int            `json:"round"` // 0-based
	Rounds       int            `json:"rounds"`
	RoundDays    int            `json:"round_days"`
	Days         int            `json:"days"`
	Day          int            `json:"day"` // days simulated
	Deadline     int64          `json:"deadline_ms,omitempty"`
	JoinURL      string         `json:"join_url,omitempty"` // teacher and projector
	Error        string         `json:"error,omitempty"`
	Levers       []LeverInfo    `json:"levers"`
	Dates        []string       `json:"dates"`
	Platforms    []PlatformView `json:"platforms"`
	Me           *StudentView   `json:"me,omitempty"`
	DebriefReady bool           `json:"debrief_ready"`
}

// StudentView is the viewing student.
type StudentView struct {
	Name string `json:"name"`
	Team int    `json:"team"`
}

// PlatformView is one platform as a viewer sees it.
type PlatformView struct {
	Name     string   `json:"name"`
	Label    string   `json:"label"`
	Color    string   `json:"color"`
	Team     bool     `json:"team"`
	Bot      string   `json:"bot,omitempty"`
	Students []string `json:"students"` // names (public: who plays whom)
	// Menu is the platform's campaign menu (numbered from 1 in decisions).
	Menu      []string `json:"menu"`
	Submitted bool     `json:"submitted"`
	// Public: the share of wallet payment value and the advertised
	// cashback each day; the public levers of each round played.
	Share    []float64  `json:"share"`
	Headline []float64  `json:"headline"` // yuan
	Offers   []Decision `json:"offers"`
	// Private (own team and teacher only).
	Books *Books `json:"books,omitempty"`
}

// Books are a platform's own figures, per day.
type Books struct {
	TreasuryYuan []float64  `json:"treasury"`
	SubsidyYuan  []float64  `json:"subsidy"`
	FeesYuan     []float64  `json:"fees"`
	CardBound    []int64    `json:"card_bound"`
	MAU          []int64    `json:"mau"`
	DAU          []int64    `json:"dau"`
	Played       []Decision `json:"played"`           // every lever of each round played
	Pending      Decision   `json:"pending"`          // this round's submission, if any
	Roster       []Student  `json:"roster,omitempty"` // teacher only: seats to move or remove
}

// viewFor returns the JSON view for viewer (a team index, teacherView or
// observerView), built once per version and viewer; a student's view is
// its team's with the student spliced in front, so a class of 40 costs
// one view a team, not one a student. Call with mu.
func (s *Session) viewFor(viewer int, me *Student) []byte {
	b, ok := s.views[viewer]
	if !ok {
		v := s.buildView(viewer)
		if viewer >= 0 {
			v.Role = "student"
		}
		b, _ = json.Marshal(v) // cannot fail: plain data
		if s.views == nil {
			s.views = map[int][]byte{}
		}
		s.views[viewer] = b
	}
	if me == nil {
		return b
	}
	mb, _ := json.Marshal(StudentView{Name: me.Name, Team: me.Team})
	out := make([]byte, 0, len(b)+len(mb)+8)
	out = append(out, `{"me":`...)
	out = append(out, mb...)
	out = append(out, ',')
	return append(out, b[1:]...)
}

// buildView assembles a view. Call with mu.
func (s *Session) buildView(viewer int) View {
	hist := s.world.History()
	v := View{Role: "observer", Version: s.version, Code: s.Code, Scenario: s.scen.World.Name, Phase: s.phase, Round: s.round,
		Rounds: s.cfg.Rounds, RoundDays: s.cfg.RoundDays, Days: s.scen.World.Days, Day: len(hist),
		DebriefReady: s.phase == Over}
	if viewer == teacherView {
		v.Role = "teacher"
	}
	if viewer < 0 && s.joinBase != "" {
		v.JoinURL = JoinURL(s.joinBase, s.Code)
	}
	if !s.deadline.IsZero() && s.phase == Deciding {
		v.Deadline = s.deadline.UnixMilli()
	}
	if s.stepErr != nil {
		v.Error = s.stepErr.Error()
	}
	v.Levers = []LeverInfo{}
	for _, l := range s.cfg.Levers {
		li, _ := leverInfo(l)
		v.Levers = append(v.Levers, li)
	}
	v.Dates = make([]string, 0, v.Days)
	for d := range v.Days {
		v.Dates = append(v.Dates, s.world.Date(d).Format(time.DateOnly))
	}
	teams := s.teamOf()
	for p, info := range s.world.Platforms() {
		pv := PlatformView{Name: info.Name, Label: info.Label, Color: info.Color, Team: s.cfg.Seats[p].Team, Bot: s.cfg.Seats[p].Bot,
			Students: []string{}, Offers: []Decision{}, Menu: s.menus[p], Share: make([]float64, len(hist)), Headline: make([]float64, len(hist))}
		for _, st := range teams[p] {
			pv.Students = append(pv.Students, st.Name)
		}
		_, pv.Submitted = s.pending[p]
		for d, dm := range hist {
			pv.Share[d] = dm.Platforms[p].ShareValue
			pv.Headline[d] = float64(dm.Platforms[p].CashbackHeadlineFen) / 100
		}
		for _, row := range s.played {
			pv.Offers = append(pv.Offers, publicPart(row[p]))
		}
		if viewer == teacherView || viewer == p {
			n := len(hist)
			bk := &Books{Pending: s.pending[p], TreasuryYuan: make([]float64, 0, n), SubsidyYuan: make([]float64, 0, n), FeesYuan: make([]float64, 0, n),
				CardBound: make([]int64, 0, n), MAU: make([]int64, 0, n), DAU: make([]int64, 0, n), Played: []Decision{}}
			for _, dm := range hist {
				m := &dm.Platforms[p]
				bk.TreasuryYuan = append(bk.TreasuryYuan, float64(m.TreasuryFen)/100)
				bk.SubsidyYuan = append(bk.SubsidyYuan, float64(m.SubsidyUserFen+m.SubsidyMerchantFen+m.EnvelopesSponsoredFen)/100)
				bk.FeesYuan = append(bk.FeesYuan, float64(m.FeeRevenueFen)/100)
				bk.CardBound = append(bk.CardBound, m.CardBound)
				bk.MAU = append(bk.MAU, m.MAU)
				bk.DAU = append(bk.DAU, m.DAU)
			}
			for _, row := range s.played {
				bk.Played = append(bk.Played, maps.Clone(row[p]))
			}
			if viewer == teacherView {
				bk.Roster = teams[p]
			}
			pv.Books = bk
		}
		v.Platforms = append(v.Platforms, pv)
	}
	return v
}

// publicPart keeps the advertised levers of a decision.
func publicPart(d Decision) Decision {
	out := Decision{}
	for l, x := range d {
		if li, ok := leverInfo(l); ok && li.Public {
			out[l] = x
		}
	}
	return out
}
