// Package reporter reads and evaluates derived reporters: numbers asked of
// a finished run by name, without editing the engine, the way Mesa's
// DataCollector model reporters and Agents.jl's mdata are.
//
// A reporter is a metric, a column of timeseries.csv or a run total
// ([sim.TimeseriesColumns], [sim.RunTotals]), with an optional platform
// ("wechat.mau"), or a function of reporters:
//
//	at(mau, 180)                          monthly actives on day 180
//	last(wechat.share_value)              the share on the last day
//	mean(share_value, 30..90)             the mean share over days 30 to 90
//	sum(subsidy_user_fen, -30..-1)        the subsidies of the last 30 days
//	ratio(sum(subsidy_user_fen), sum(new_card_bound))   fen per new binding
//
// Sweeps and games use reporters as their metrics and `hongbao run
// --report` prints them; docs/sweeps.md ("Reporters") is the user's guide.
package reporter
