package sweep

import "github.com/paywars/hongbao/scenarios"

// Key paths are the scenario loader's: "params[1].values", "design.kind".

func joinKey(path, key string) string { return scenarios.JoinKey(path, key) }

func joinIndex(path string, i int) string { return scenarios.JoinIndex(path, i) }
