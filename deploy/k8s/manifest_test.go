package k8s

import (
	"fmt"
	"os"
	"path"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/yaml"

	"github.com/paywars/hongbao/sim/sweep"
)

// manifestFile is the manifest docs/cluster.md tells a user to apply.
const manifestFile = "sweep-indexed-job.yaml"

// objects is the manifest decoded: its claim and Jobs by name.
type objects struct {
	claims map[string]*corev1.PersistentVolumeClaim
	jobs   map[string]*batchv1.Job
}

// docSeparator splits a multi-document YAML file.
var docSeparator = regexp.MustCompile(`(?m)^---[ \t]*$`)

// decode decodes every document of a manifest strictly into its
// Kubernetes type: an unknown or misspelt field, a duplicate key, a
// malformed quantity or an unexpected kind is an error naming the document.
func decode(src []byte) (objects, error) {
	objs := objects{claims: map[string]*corev1.PersistentVolumeClaim{}, jobs: map[string]*batchv1.Job{}}
	for i, doc := range docSeparator.Split(string(src), -1) {
		var head struct {
			APIVersion string `json:"apiVersion"`
			Kind       string `json:"kind"`
		}
		if err := yaml.Unmarshal([]byte(doc), &head); err != nil {
			return objs, fmt.Errorf("document %d: %w", i+1, err)
		}
		switch {
		case head.APIVersion == "" && head.Kind == "":
			continue // only comments
		case head.APIVersion == "v1" && head.Kind == "PersistentVolumeClaim":
			var c corev1.PersistentVolumeClaim
			if err := yaml.UnmarshalStrict([]byte(doc), &c); err != nil {
				return objs, fmt.Errorf("document %d (%s): %w", i+1, head.Kind, err)
			}
			objs.claims[c.Name] = &c
		case head.APIVersion == "batch/v1" && head.Kind == "Job":
			var j batchv1.Job
			if err := yaml.UnmarshalStrict([]byte(doc), &j); err != nil {
				return objs, fmt.Errorf("document %d (%s): %w", i+1, head.Kind, err)
			}
			objs.jobs[j.Name] = &j
		default:
			return objs, fmt.Errorf("document %d: unexpected %s %s", i+1, head.APIVersion, head.Kind)
		}
	}
	return objs, nil
}

func load(t *testing.T) objects {
	t.Helper()
	src, err := os.ReadFile(manifestFile)
	require.NoError(t, err)
	objs, err := decode(src)
	require.NoError(t, err, "%s does not decode strictly into the Kubernetes API types", manifestFile)
	return objs
}

// flag returns the value after name in a container's command, or "".
func flag(cmd []string, name string) string {
	for i, a := range cmd {
		if a == name && i+1 < len(cmd) {
			return cmd[i+1]
		}
		if v, ok := strings.CutPrefix(a, name+"="); ok {
			return v
		}
	}
	return ""
}

// mountFor returns the container's mount that holds dir (the deepest one)
// and its volume.
func mountFor(pod corev1.PodSpec, c corev1.Container, dir string) (corev1.VolumeMount, corev1.Volume, bool) {
	var best corev1.VolumeMount
	found := false
	for _, m := range c.VolumeMounts {
		root := strings.TrimSuffix(m.MountPath, "/")
		if (dir == root || strings.HasPrefix(dir, root+"/")) && (!found || len(m.MountPath) > len(best.MountPath)) {
			best, found = m, true
		}
	}
	if found {
		for _, v := range pod.Volumes {
			if v.Name == best.Name {
				return best, v, true
			}
		}
	}
	return best, corev1.Volume{}, false
}

func TestManifestDecodesStrictly(t *testing.T) {
	objs := load(t)
	assert.Contains(t, objs.claims, "hongbao-results")
	assert.Contains(t, objs.jobs, "hongbao-sweep")
	assert.Contains(t, objs.jobs, "hongbao-merge")

	// The check can fail: a misspelt field, a wrong type, a bad quantity.
	src, err := os.ReadFile(manifestFile)
	require.NoError(t, err)
	bad := []struct{ name, from, to, want string }{
		{"misspelt field", "  completions: 16", "  completion: 16", `unknown field "completion"`},
		{"wrong type", "  parallelism: 16", "  parallelism: sixteen", "parallelism"},
		{"bad quantity", "memory: 512Mi}\n            limits", "memory: 512 MiB}\n            limits", "quantities must match"},
		{"unknown kind", "kind: PersistentVolumeClaim", "kind: PersistentVolume", "unexpected v1 PersistentVolume"},
	}
	for _, b := range bad {
		t.Run(b.name, func(t *testing.T) {
			require.Equal(t, 1, strings.Count(string(src), b.from), "the mutation must apply once")
			_, err := decode([]byte(strings.Replace(string(src), b.from, b.to, 1)))
			require.Error(t, err)
			assert.Contains(t, err.Error(), b.want)
		})
	}
}

func TestSweepJobShardsLikeHongbao(t *testing.T) {
	objs := load(t)
	job := objs.jobs["hongbao-sweep"]
	require.NotNil(t, job)
	spec := job.Spec
	pod := spec.Template.Spec
	require.Len(t, pod.Containers, 1)
	c := pod.Containers[0]
	require.GreaterOrEqual(t, len(c.Command), 3)
	assert.Equal(t, []string{"hongbao", "sweep"}, c.Command[:2])

	// One pod per shard: Indexed completions, as many as the command's shards.
	require.NotNil(t, spec.CompletionMode)
	assert.Equal(t, batchv1.IndexedCompletion, *spec.CompletionMode)
	require.NotNil(t, spec.Completions)
	count, err := strconv.Atoi(flag(c.Command, "--shard-count"))
	require.NoError(t, err, "the sweep command must give --shard-count")
	assert.Equal(t, int(*spec.Completions), count, "completions must equal --shard-count")
	require.NotNil(t, spec.Parallelism)
	assert.True(t, *spec.Parallelism >= 1 && *spec.Parallelism <= *spec.Completions,
		"parallelism %d must be between 1 and completions %d", *spec.Parallelism, *spec.Completions)

	// The index comes from JOB_COMPLETION_INDEX, never a fixed flag, and
	// hongbao turns index i into shard i of count for every pod.
	assert.Empty(t, flag(c.Command, "--shard-index"), "a fixed --shard-index would make every pod run the same shard")
	var env *corev1.EnvVar
	for i := range c.Env {
		if c.Env[i].Name == "JOB_COMPLETION_INDEX" {
			env = &c.Env[i]
		}
	}
	require.NotNil(t, env, "JOB_COMPLETION_INDEX is not wired")
	require.NotNil(t, env.ValueFrom)
	require.NotNil(t, env.ValueFrom.FieldRef)
	assert.Equal(t, "metadata.annotations['"+batchv1.JobCompletionIndexAnnotation+"']", env.ValueFrom.FieldRef.FieldPath)
	for i := range count {
		getenv := func(k string) string {
			if k == "JOB_COMPLETION_INDEX" {
				return strconv.Itoa(i)
			}
			return ""
		}
		sh, err := sweep.ShardFromEnv(-1, count, getenv)
		require.NoError(t, err)
		assert.Equal(t, sweep.Shard{Index: i, Count: count}, sh)
	}

	// Retries per shard, and a retry policy Kubernetes accepts with it.
	require.NotNil(t, spec.BackoffLimitPerIndex, "a failed shard must be retried on its own")
	assert.GreaterOrEqual(t, *spec.BackoffLimitPerIndex, int32(1))
	assert.Equal(t, corev1.RestartPolicyNever, pod.RestartPolicy, "backoffLimitPerIndex requires restartPolicy Never")
	require.NotNil(t, pod.TerminationGracePeriodSeconds)
	assert.GreaterOrEqual(t, *pod.TerminationGracePeriodSeconds, int64(10), "hongbao needs time to sync its journal after SIGTERM")

	// The sweep file is mounted, and every pod writes --out on a volume
	// they all share.
	sweepFile := c.Command[2]
	_, _, mounted := mountFor(pod, c, path.Dir(sweepFile))
	assert.True(t, mounted, "%s is on no mounted volume", sweepFile)
	out := flag(c.Command, "--out")
	require.NotEmpty(t, out, "the sweep command must give --out")
	m, vol, ok := mountFor(pod, c, out)
	require.True(t, ok && !m.ReadOnly, "--out %s is on no writable volume", out)
	require.NotNil(t, vol.PersistentVolumeClaim, "--out must be on a PersistentVolumeClaim every pod mounts")
	claim := objs.claims[vol.PersistentVolumeClaim.ClaimName]
	require.NotNil(t, claim, "the claim %s is not in the manifest", vol.PersistentVolumeClaim.ClaimName)
	assert.Contains(t, claim.Spec.AccessModes, corev1.ReadWriteMany, "pods on several nodes write the results")
}

func TestMergeJobReadsTheSweepsShards(t *testing.T) {
	objs := load(t)
	sweepJob, merge := objs.jobs["hongbao-sweep"], objs.jobs["hongbao-merge"]
	require.NotNil(t, sweepJob)
	require.NotNil(t, merge)
	c := merge.Spec.Template.Spec.Containers[0]
	require.Len(t, c.Command, 3)
	assert.Equal(t, []string{"hongbao", "merge"}, c.Command[:2])
	dir := c.Command[2]
	assert.Equal(t, flag(sweepJob.Spec.Template.Spec.Containers[0].Command, "--out"), dir, "the merge must read the sweep's --out")
	m, vol, ok := mountFor(merge.Spec.Template.Spec, c, dir)
	require.True(t, ok && !m.ReadOnly, "the merge writes into %s: it must be writable", dir)
	require.NotNil(t, vol.PersistentVolumeClaim)
	assert.Equal(t, "hongbao-results", vol.PersistentVolumeClaim.ClaimName)
	assert.Nil(t, merge.Spec.CompletionMode, "one merge, not indexed")
	require.NotNil(t, merge.Spec.BackoffLimit)
	assert.Equal(t, int32(0), *merge.Spec.BackoffLimit, "a refused merge fails the same way again")
	assert.Equal(t, corev1.RestartPolicyNever, merge.Spec.Template.Spec.RestartPolicy)
}
