// Package k8s holds no code. Its test decodes sweep-indexed-job.yaml, the
// Kubernetes manifest of a sharded sweep, strictly into the Kubernetes API
// types (k8s.io/api) and checks that its Indexed Job, the shard count of
// its command and its shared volume agree with how hongbao shards a sweep.
// Only the test imports Kubernetes: the hongbao binary does not.
package k8s
