package scenarios

// Core strips a scenario down to the engine's core, the world that issue
// #16 measures against a frameworkless loop and a NumPy port of the same
// rules: users adopting, paying and drifting away on the graph, and
// nothing else. No peer envelopes, campaigns, events, outages or reactive
// strategies, and merchants never change the wallets they accept
// (stickiness 1). `hongbao bench --core` and sim's BenchmarkStepCore run
// the default scenario so stripped.
func Core(s *Scenario) {
	s.Envelopes.PerDay = 0
	s.Events = nil
	for p := range s.Platforms {
		pl := &s.Platforms[p]
		pl.Campaigns = nil
		pl.Strategy.Kind = "fixed"
		pl.OutageRate = 0
	}
	for k := range s.Merchants {
		s.Merchants[k].Stickiness = 1
	}
}
