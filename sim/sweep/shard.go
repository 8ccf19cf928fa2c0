package sweep

import (
	"fmt"
	"strconv"
)

// ShardFromEnv resolves which shard this process runs. index and count are
// the --shard-index and --shard-count flags, negative when not given. When
// the index is not given it comes from the scheduler:
//
//   - Slurm job arrays: SLURM_ARRAY_TASK_ID, less SLURM_ARRAY_TASK_MIN if
//     set (arrays may start at 1), of SLURM_ARRAY_TASK_COUNT tasks;
//   - Kubernetes Indexed Jobs: JOB_COMPLETION_INDEX, with the count from
//     --shard-count (a pod is not told the Job's completions).
//
// With neither flags nor variables the whole sweep runs (the zero Shard).
// getenv is os.Getenv, or a map's lookup in tests.
func ShardFromEnv(index, count int, getenv func(string) string) (Shard, error) {
	atoi := func(name string) (int, bool, error) {
		v := getenv(name)
		if v == "" {
			return 0, false, nil
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return 0, false, fmt.Errorf("sweep: %s=%q is not a shard number", name, v)
		}
		return n, true, nil
	}
	if index >= 0 {
		if count <= 0 {
			return Shard{}, fmt.Errorf("sweep: --shard-index needs --shard-count")
		}
	} else if id, ok, err := atoi("SLURM_ARRAY_TASK_ID"); err != nil {
		return Shard{}, err
	} else if ok {
		lo, _, err := atoi("SLURM_ARRAY_TASK_MIN")
		if err != nil {
			return Shard{}, err
		}
		index = id - lo
		if count <= 0 {
			n, ok, err := atoi("SLURM_ARRAY_TASK_COUNT")
			if err != nil {
				return Shard{}, err
			}
			if !ok {
				return Shard{}, fmt.Errorf("sweep: SLURM_ARRAY_TASK_ID is set but not SLURM_ARRAY_TASK_COUNT; give --shard-count")
			}
			count = n
		}
	} else if id, ok, err := atoi("JOB_COMPLETION_INDEX"); err != nil {
		return Shard{}, err
	} else if ok {
		if count <= 0 {
			return Shard{}, fmt.Errorf("sweep: JOB_COMPLETION_INDEX is set: give --shard-count, the Job's completions")
		}
		index = id
	} else if count > 0 {
		return Shard{}, fmt.Errorf("sweep: --shard-count needs --shard-index (or SLURM_ARRAY_TASK_ID, or JOB_COMPLETION_INDEX)")
	} else {
		return Shard{}, nil
	}
	if index < 0 || index >= count {
		return Shard{}, fmt.Errorf("sweep: shard index %d is outside 0 to %d", index, count-1)
	}
	return Shard{Index: index, Count: count}, nil
}
