package ui

import (
	"cmp"
	"fmt"
	"strings"
	"time"

	"dpsdesk/engine"
	"dpsdesk/keymap"
	"dpsdesk/store"
	"dpsdesk/store/publish"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

type reportMsg struct {
	rep store.Report
	err error
	key string // the filters it answers
}

// period is a span of time the reports cover.
type period struct {
	name     string
	from, to time.Time
}

func periods(now time.Time) []period {
	y, m := now.Year(), now.Month()
	qStart := time.Date(y, time.Month(3*((int(m)-1)/3)+1), 1, 0, 0, 0, 0, now.Location())
	yStart := time.Date(y, 1, 1, 0, 0, 0, 0, now.Location())
	return []period{
		{name: "all time"},
		{"this quarter", qStart, qStart.AddDate(0, 3, 0)},
		{"last quarter", qStart.AddDate(0, -3, 0), qStart},
		{"this year", yStart, yStart.AddDate(1, 0, 0)},
		{"last 12 months", now.AddDate(-1, 0, 0), now.Add(time.Second)},
	}
}

// reports is screen 4: what the partnership is buying and at what price.
type reports struct {
	ctx           *Context
	keys          keymap.Reports
	period        int
	category      int // index into engine.CategoryIDs(), -1 all
	authority     int // index into the authorities, -1 all
	auths         []store.Authority
	rep           *store.Report
	err           error
	width, height int
}

func newReports(ctx *Context) *reports {
	auths := ctx.Authorities()
	return &reports{ctx: ctx, keys: keymap.NewReports(), category: -1, authority: -1, auths: auths}
}

func (r *reports) Title() string    { return "Reports" }
func (r *reports) SetSize(w, h int) { r.width, r.height = w, h }
func (r *reports) Init() tea.Cmd    { return r.load() }

func (r *reports) filter() store.ReportFilter {
	p := periods(r.ctx.Now())[r.period]
	f := store.ReportFilter{From: p.from, To: p.to}
	if r.category >= 0 {
		f.Category = engine.CategoryIDs()[r.category]
	}
	if r.authority >= 0 {
		f.Authority = r.auths[r.authority].Code
	}
	return f
}

func (r *reports) filterKey() string { return fmt.Sprint(r.period, r.category, r.authority) }

func (r *reports) load() tea.Cmd {
	s, f, k := r.ctx.Store, r.filter(), r.filterKey()
	return func() tea.Msg {
		rep, err := s.Report(f)
		return reportMsg{rep, err, k}
	}
}

func (r *reports) ShortHelp() []keyBinding {
	k := r.keys
	return []keyBinding{k.Period, k.Category, k.Authority, k.Export}
}

func (r *reports) FullHelp() [][]keyBinding { return [][]keyBinding{r.ShortHelp()} }

func (r *reports) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case reportMsg:
		if msg.key == r.filterKey() {
			r.rep, r.err = &msg.rep, msg.err
		}
	case storeChangedMsg:
		return r, r.load()
	case tea.KeyMsg:
		k := r.keys
		switch {
		case key.Matches(msg, k.Period):
			r.period = (r.period + 1) % len(periods(r.ctx.Now()))
		case key.Matches(msg, k.Category):
			r.category = cycle(r.category, len(engine.CategoryIDs()))
		case key.Matches(msg, k.Authority):
			r.authority = cycle(r.authority, len(r.auths))
		case key.Matches(msg, k.Export):
			path, err := r.export()
			if err != nil {
				return r, failure(err)
			}
			return r, status("Report written: %s", r.ctx.wrote(path))
		default:
			return r, nil
		}
		return r, r.load()
	}
	return r, nil
}

func (r *reports) describe() string {
	p := periods(r.ctx.Now())[r.period]
	text := "Period: " + p.name
	if !p.from.IsZero() {
		text += fmt.Sprintf(" (%s to %s)", p.from.Format("2 Jan 2006"), p.to.Add(-time.Second).Format("2 Jan 2006"))
	}
	cat, auth := "all", cmp.Or(r.ctx.Store.Principal().Authority, "all") // an officer's "all" is their own
	if f := r.filter(); f.Category != "" {
		cat = f.Category
	}
	if f := r.filter(); f.Authority != "" {
		auth = f.Authority
	}
	return text + " · category: " + cat + " · authority: " + auth
}

var routeOrder = []store.AwardRoute{store.RouteCompetition, store.RouteParentChoice, store.RouteDirect, store.RouteBlock}

func routeWords(r store.AwardRoute) string { return strings.ReplaceAll(string(r), "_", " ") }

// table is the report as rows of (measure, value): what the screen shows
// and what x exports.
func (r *reports) table() [][]string {
	rep := r.rep
	rows := [][]string{
		{"Referrals issued", fmt.Sprint(rep.Issued)},
		{"Invited per referral", fmt.Sprintf("%.1f", rep.InvitedPerReferral)},
		{"Bids per referral", fmt.Sprintf("%.1f", rep.BidsPerReferral)},
		{"Awards made", fmt.Sprint(rep.Awards)},
		{"Median days from issue to award", fmt.Sprintf("%.1f", rep.MedianDaysToAward)},
	}
	for _, route := range routeOrder {
		rows = append(rows, []string{"Awards by " + routeWords(route), fmt.Sprint(rep.ByRoute[route])})
	}
	for _, c := range rep.Costs {
		rows = append(rows, []string{"Median weekly cost, " + c.Category, Pounds(c.MedianPence)},
			[]string{"Weekly cost range, " + c.Category, Pounds(c.Min) + " to " + Pounds(c.Max)})
	}
	for i, w := range rep.Winners {
		rows = append(rows, []string{fmt.Sprintf("Most awards %d", i+1), fmt.Sprintf("%s (%d)", orNone(w.Name), w.Awards)})
	}
	rows = append(rows, []string{"Suspensions started", fmt.Sprint(rep.SuspensionsStarted)}, []string{"Suspensions lifted", fmt.Sprint(rep.SuspensionsLifted)})
	return rows
}

// export writes the table on screen as CSV beside the store, in reports/.
func (r *reports) export() (string, error) {
	if r.rep == nil {
		return "", fmt.Errorf("the report is not ready yet")
	}
	dir, err := r.ctx.filesIn("reports")
	if err != nil {
		return "", err
	}
	return publish.WriteReportCSV(dir, r.ctx.Now(), r.describe(), r.table())
}

func (r *reports) View() string {
	st, g := r.ctx.Styles, r.ctx.Glyphs
	var l []string
	l = append(l, " "+st.Muted.Render(r.describe()))
	switch {
	case r.err != nil:
		return strings.Join(append(l, "  The report could not be made: "+r.err.Error()), "\n")
	case r.rep == nil:
		return strings.Join(append(l, "  Working the figures out"+g.Ellipsis), "\n")
	}
	rep := r.rep
	two := func(a, av, b, bv string) string {
		return fmt.Sprintf(" %-28s %8s    %-28s %8s", a, av, b, bv)
	}
	l = append(l,
		two("Referrals issued", fmt.Sprint(rep.Issued), "Awards made", fmt.Sprint(rep.Awards)),
		two("Invited per referral", fmt.Sprintf("%.1f", rep.InvitedPerReferral), "Median days, issue to award", fmt.Sprintf("%.1f", rep.MedianDaysToAward)),
		two("Bids per referral", fmt.Sprintf("%.1f", rep.BidsPerReferral), "Suspensions started/lifted", fmt.Sprintf("%d/%d", rep.SuspensionsStarted, rep.SuspensionsLifted)))
	var routes []string
	for _, route := range routeOrder {
		routes = append(routes, fmt.Sprintf("%s %d", strings.TrimSuffix(strings.TrimSuffix(routeWords(route), " placement"), " booking"), rep.ByRoute[route]))
	}
	l = append(l, " Awards by route: "+strings.Join(routes, " · "), "")
	l = append(l, " "+st.Title.Render("Weekly cost of awards: median (bar), quartiles and range"))
	if len(rep.Costs) == 0 {
		l = append(l, "   no awards in this period")
	}
	var top int64 = 1
	for _, c := range rep.Costs {
		top = max(top, c.MedianPence)
	}
	barW := max(10, r.width-60)
	for _, c := range rep.Costs {
		n := int(int64(barW) * c.MedianPence / top)
		bar := strings.Repeat(g.Bar, n) + strings.Repeat(" ", barW-n)
		l = append(l, fmt.Sprintf(" %-12s %10s %s %s-%s (%d)", c.Category, Pounds(c.MedianPence), bar,
			shortPounds(c.LowQuartile), shortPounds(c.HighQuartile), c.Awards))
	}
	l = append(l, "", " "+st.Title.Render("Establishments winning most often"))
	if len(rep.Winners) == 0 {
		l = append(l, "   none in this period")
	}
	for i, w := range rep.Winners {
		l = append(l, fmt.Sprintf("   %d. %s (%d)", i+1, orNone(w.Name), w.Awards))
	}
	return strings.Join(l, "\n")
}

// shortPounds is £1,950 without the pence, for tight columns.
func shortPounds(p int64) string { return strings.TrimSuffix(Pounds(p/100*100), ".00") }
