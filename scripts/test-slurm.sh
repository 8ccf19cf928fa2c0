#!/usr/bin/env bash
# The cluster sweep on a real Slurm: brings up a single-node Slurm from
# Debian's packages (munged, slurmctld and slurmd on localhost, with a
# configuration, key, state, spool, sockets and logs in one temporary
# folder), submits deploy/slurm/sweep.sbatch as a job array and the merge as
# a dependent job, exactly as docs/cluster.md tells a user, and checks that
# the merged files equal a one-machine sweep byte for byte. On the way it
# makes the faults a cluster makes:
#
#   - task 1 is cancelled mid-run (scancel JOBID_1), a merge started then
#     must list the missing shard and fail, and the task is requeued
#     (scontrol requeue JOBID_1) and resumes its journal;
#   - task 2 gets SIGTERM through the scheduler (scancel --batch
#     --signal=TERM JOBID_2, what --signal=B:TERM@60 sends before the time
#     limit): the script lets hongbao sync its journal and requeues itself.
#
# The merge must still find every run exactly once. Installs slurm-wlm and
# munge with apt when they are missing (needs root; without root and
# without them it prints SKIP and why). Every daemon it starts is stopped by
# its process id when it ends, and the temporary folder is removed: nothing
# of it outlives the test, and /etc/slurm and /etc/munge are not touched.
# About a minute on two cores.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
start=$SECONDS
step() { echo "== slurm: $* ($((SECONDS - start))s)"; }

# ---------------------------------------------------------------- packages
need_pkgs=()
for p in slurm-wlm munge; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || need_pkgs+=("$p")
done
for c in munged slurmctld slurmd sbatch; do
	command -v "$c" >/dev/null 2>&1 || PATH=$PATH:/usr/sbin:/sbin
done
policy_made=""
if [ ${#need_pkgs[@]} -gt 0 ]; then
	if [ "$(id -u)" != 0 ]; then
		echo "SKIP: scripts/test-slurm.sh: ${need_pkgs[*]} not installed and not root, so cannot apt-get install them; as root: apt-get install slurm-wlm munge"
		exit 0
	fi
	step "installing ${need_pkgs[*]}"
	# Debian starts a package's services on install unless policy-rc.d
	# says no: keep the system's munged and slurm daemons from starting.
	if [ ! -e /usr/sbin/policy-rc.d ]; then
		printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
		chmod 755 /usr/sbin/policy-rc.d
		policy_made=/usr/sbin/policy-rc.d
	fi
	ok=1
	{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_pkgs[@]}" >/dev/null; } || ok=0
	[ -n "$policy_made" ] && rm -f "$policy_made"
	if [ "$ok" = 0 ]; then
		echo "error: scripts/test-slurm.sh: could not install ${need_pkgs[*]}" >&2
		exit 1
	fi
fi
for c in munged munge unmunge slurmctld slurmd sbatch squeue sinfo scontrol scancel; do
	command -v "$c" >/dev/null 2>&1 || { echo "error: scripts/test-slurm.sh: $c not found after installing slurm-wlm and munge" >&2; exit 1; }
done
if [ "$(id -u)" != 0 ]; then
	# munged and slurmd could run as a user, but slurmd launches jobs as
	# their owner and needs root for it.
	echo "SKIP: scripts/test-slurm.sh: slurmd must run as root to launch jobs, and this is uid $(id -u)"
	exit 0
fi

# ------------------------------------------------------- the temporary folder
T=$(mktemp -d -t hongbao-slurm.XXXXXX)
conf=$T/etc/slurm.conf
sock=$T/munge/munge.socket
node=hongbao-node
pids=()        # every daemon this script started, in start order
jobids=()      # every job this script submitted
mkdir -p "$T/etc" "$T/munge" "$T/log" "$T/state" "$T/spool" "$T/bin" "$T/work" "$T/run"

# sl runs a Slurm command against this test's cluster only. SLURM_CONF is
# never exported from this shell, so that the processes that carry it in
# their environment are exactly the daemons and jobs of this test.
sl() { SLURM_CONF=$conf "$@"; }

# ours lists the processes of this test still alive: those whose command
# line names the temporary folder or whose environment holds its
# SLURM_CONF (slurmstepd and the jobs' shells and hongbao processes).
ours() {
	local p pid cmd env
	for p in /proc/[0-9]*; do
		pid=${p#/proc/}
		[ "$pid" = $$ ] && continue
		[ "$pid" = "$BASHPID" ] && continue
		cmd=$(tr '\0' ' ' 2>/dev/null <"$p/cmdline") || continue
		env=$(tr '\0' '\n' 2>/dev/null <"$p/environ") || env=""
		if [[ $cmd == *"$T"* || $env == *"SLURM_CONF=$conf"* ]]; then
			echo "$pid"
		fi
	done
}

show_logs() {
	local f
	for f in "$T"/log/*; do
		[ -s "$f" ] || continue
		echo "---- $f (last 60 lines)"
		tail -n 60 "$f"
	done
	for f in "$T"/work/*.out; do
		[ -s "$f" ] || continue
		echo "---- $f"
		cat "$f"
	done
	if [ -n "${pids[*]}" ]; then
		echo "---- scontrol show job"
		sl scontrol show job 2>&1 | head -n 80 || true
	fi
}

cleanup() {
	local rc=$? p left i
	set +e
	trap - EXIT INT TERM
	if [ "$rc" != 0 ]; then
		echo "== slurm: FAILED (exit $rc): logs of the daemons and jobs" >&2
		show_logs >&2
	fi
	# The jobs first, while slurmctld can still cancel them.
	if [ ${#jobids[@]} -gt 0 ] && [ ${#pids[@]} -ge 2 ]; then
		sl scancel "${jobids[@]}" 2>/dev/null
		for ((i = 0; i < 30; i++)); do
			[ -z "$(sl squeue -h -o %i 2>/dev/null)" ] && break
			sleep 0.5
		done
	fi
	# The daemons by the process ids recorded when they started, last first.
	for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
		kill -TERM "${pids[i]}" 2>/dev/null
	done
	for ((i = 0; i < 40; i++)); do
		left=0
		for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && left=1; done
		[ "$left" = 0 ] && break
		sleep 0.25
	done
	for p in "${pids[@]}"; do kill -KILL "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
	# What the daemons left: a job step's slurmstepd, a job's processes.
	for p in $(ours); do kill -KILL "$p" 2>/dev/null; done
	sleep 0.2
	left=$(ours)
	rm -rf "$T"
	if [ -n "$left" ] || pgrep -f -- "$T" >/dev/null; then
		echo "error: scripts/test-slurm.sh: processes of the test outlived it: $left $(pgrep -f -- "$T")" >&2
		rc=1
	elif [ "$rc" = 0 ]; then
		echo "== slurm: stopped every daemon (pids ${pids[*]}), no process of the test left (pgrep -f $T: none), removed $T"
	fi
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

fail() { echo "error: scripts/test-slurm.sh: $*" >&2; exit 1; }

# wait_for SECONDS WHAT COMMAND...: polls COMMAND every 0.2 s until it succeeds.
wait_for() {
	local limit=$1 what=$2 t0=$SECONDS
	shift 2
	until "$@"; do
		[ $((SECONDS - t0)) -lt "$limit" ] || fail "timed out after ${limit}s waiting for $what"
		sleep 0.2
	done
}

# A free TCP port on loopback: nothing answers there.
free_port() {
	local p
	for ((;;)); do
		p=$((20000 + RANDOM % 20000))
		(exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
	done
}

# ----------------------------------------------------------------- hongbao
step "building hongbao and running the sweep on one machine"
CGO_ENABLED=0 go build -o "$T/bin/hongbao" ./cmd/hongbao
sweep_file=$repo/deploy/slurm/example.sweep.toml
"$T/bin/hongbao" sweep "$sweep_file" --out "$T/one" --workers 2 --quiet
runs=$("$T/bin/hongbao" sweep "$sweep_file" --check | sed -n 's/.* = \([0-9]*\) runs .*/\1/p')
[ -n "$runs" ] || fail "hongbao sweep --check did not print the number of runs"

# ------------------------------------------------------------------- munge
step "starting munged with its own key and socket"
dd if=/dev/urandom of="$T/munge/munge.key" bs=1024 count=1 status=none
chmod 400 "$T/munge/munge.key"
munged --foreground --force --socket="$sock" --key-file="$T/munge/munge.key" \
	--pid-file="$T/run/munged.pid" --log-file="$T/log/munged.log" \
	--seed-file="$T/munge/munged.seed" >"$T/log/munged.out" 2>&1 &
pids+=($!)
munge_ok() { munge -n -S "$sock" 2>/dev/null | unmunge -S "$sock" >/dev/null 2>&1; }
wait_for 20 "munged to answer on $sock" munge_ok

# ------------------------------------------------------------------- slurm
step "writing slurm.conf and starting slurmctld and slurmd"
host=$(hostname -s)
cpus=$(nproc)
mem=$(slurmd -C 2>/dev/null | sed -n 's/.*RealMemory=\([0-9]*\).*/\1/p')
mem=${mem:-1024}
ctld_port=$(free_port)
slurmd_port=$(free_port)
while [ "$slurmd_port" = "$ctld_port" ]; do slurmd_port=$(free_port); done
cat >"$conf" <<EOF
# Written by scripts/test-slurm.sh: a one-node cluster, everything in $T.
ClusterName=hongbao-test
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
# A requeued job waits cred_expire + 1 seconds before it may start again
# (120 by default): 15 keeps the test short.
AuthInfo=socket=$sock,cred_expire=15
CredType=cred/munge
StateSaveLocation=$T/state
SlurmdSpoolDir=$T/spool
SlurmctldPidFile=$T/run/slurmctld.pid
SlurmdPidFile=$T/run/slurmd.pid
SlurmctldLogFile=$T/log/slurmctld.log
SlurmdLogFile=$T/log/slurmd.log
PlugStackConfig=$T/etc/plugstack.conf
MailProg=/bin/true
# No cgroups (a container may not allow them), no accounting database.
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
# Finished jobs stay visible to scontrol for the checks.
MinJobAge=600
KillWait=10
SchedulerParameters=sched_interval=2
NodeName=$node NodeHostname=$host NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=debug Nodes=$node Default=YES MaxTime=INFINITE State=UP
EOF
: >"$T/etc/plugstack.conf"
cat >"$T/etc/cgroup.conf" <<'EOF'
# Unused: proctrack/linuxproc and task/none need no cgroup.
CgroupPlugin=autodetect
EOF

SLURM_CONF=$conf slurmctld -D -c -f "$conf" -L "$T/log/slurmctld.log" >"$T/log/slurmctld.out" 2>&1 &
pids+=($!)
ctld_up() { sl scontrol ping 2>/dev/null | grep -q "is UP"; }
wait_for 30 "slurmctld to answer scontrol ping" ctld_up
SLURM_CONF=$conf slurmd -D -f "$conf" -N "$node" -L "$T/log/slurmd.log" >"$T/log/slurmd.out" 2>&1 &
pids+=($!)
node_idle() { [ "$(sl sinfo -h -N -n "$node" -o %T 2>/dev/null)" = idle ]; }
wait_for 60 "sinfo to show $node idle" node_idle
for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null || fail "a daemon (pid $p) died"; done
sl sinfo

# ----------------------------------------------------- the sweep, as a user
# What docs/cluster.md tells a user to type, with the cluster's own names.
shards=4
export SWEEP=$sweep_file OUT=$T/work/results PATH=$T/bin:$PATH
cd "$T/work"
step "sbatch --array=0-$((shards - 1)) deploy/slurm/sweep.sbatch, and the merge after it"
# One CPU a task, so that two of the four run at a time on two cores and
# the others wait in the queue; a few seconds each.
array=$(sl sbatch --parsable --array=0-$((shards - 1)) --cpus-per-task=1 --mem-per-cpu=200M --time=10 \
	"$repo/deploy/slurm/sweep.sbatch")
jobids+=("$array")
merge=$(sl sbatch --parsable --dependency=afterok:"$array" --job-name=hongbao-merge \
	--output=hongbao-merge-%j.out --mem=100M --time=5 --wrap "hongbao merge $OUT")
jobids+=("$merge")
echo "array job $array, merge job $merge"

# job_field JOBID KEY: one field of scontrol show job.
job_field() {
	sl scontrol -o show job "$1" 2>/dev/null | head -n 1 | tr ' ' '\n' | sed -n "s/^$2=//p"
}
task_state() { job_field "${array}_$1" JobState; }
is_state() { [ "$(task_state "$1")" = "$2" ]; }
shard_dir() { printf '%s/shard-%04d-of-%04d' "$OUT" "$1" "$shards"; }
# journal_runs I: how many finished runs shard I's journal holds.
journal_runs() { "$T/bin/hongbao" merge "$(shard_dir "$1")" --out "$T/probe" 2>&1 | sed -n 's/.*its journal has \([0-9]*\) of.*/\1/p'; }
# mid_run I: task I is running and its journal holds runs, unfinished.
mid_run() {
	is_state "$1" RUNNING || return 1
	[ ! -e "$(shard_dir "$1")/manifest.json" ] || fail "task $1 finished before it could be interrupted: make its shard longer"
	local n
	n=$(journal_runs "$1")
	[ -n "$n" ] && [ "$n" -ge 2 ]
}

# --------------------------------------- fault 1: SIGTERM from the scheduler
step "task 1: scancel --batch --signal=TERM ${array}_1 mid-run"
wait_for 120 "task 1 to be running with runs in its journal" mid_run 1
# Slurm 22.05 delivers the signal to an array task's batch shell but
# answers "Job can not be altered now, try again later", and scancel then
# retries every few seconds for a minute, signalling the task again once it
# has been requeued and restarted. So scancel runs in the background here
# and is stopped, by its process id, once the task has requeued itself.
echo "scancel --batch --signal=TERM ${array}_1"
SLURM_CONF=$conf scancel --batch --signal=TERM "${array}_1" >"$T/log/scancel-term.out" 2>&1 &
scancel_pid=$!
requeued() { [ "$(job_field "${array}_1" Restarts)" -ge 1 ] 2>/dev/null; }
wait_for 60 "task 1 to requeue itself" requeued
kill "$scancel_pid" 2>/dev/null || true
wait "$scancel_pid" 2>/dev/null || true
echo "task 1 requeued itself with $(journal_runs 1) runs in its journal"
# A task that requeues itself never fails, so the merge still waits.
[ "$(job_field "$merge" Reason)" = Dependency ] ||
	fail "after task 1 requeued itself the merge job is $(job_field "$merge" JobState), reason $(job_field "$merge" Reason)"

# --------------------------------------------------- fault 2: a cancelled task
step "task 2: scancel ${array}_2 mid-run"
wait_for 120 "task 2 to be running with runs in its journal" mid_run 2
sl scancel "${array}_2"
wait_for 30 "task 2 to be CANCELLED" is_state 2 CANCELLED
settled() { [ -z "$(sl squeue -h -j "${array}_2" -t CG -o %i 2>/dev/null)" ]; }
wait_for 30 "task 2 to finish completing" settled
[ ! -e "$(shard_dir 2)/manifest.json" ] || fail "task 2 was cancelled after it finished"
echo "task 2 cancelled with $(journal_runs 2) runs in its journal"
# A cancelled task fails afterok for good: Slurm will not run the merge.
never() { [ "$(job_field "$merge" Reason)" = DependencyNeverSatisfied ]; }
wait_for 90 "the merge job's dependency to fail" never
echo "merge job $merge: $(job_field "$merge" JobState), reason $(job_field "$merge" Reason), dependency $(job_field "$merge" Dependency)"

# ------------------------------------ a merge while a shard is missing fails
step "hongbao merge while shard 2 is missing lists it and fails"
wait_for 120 "task 0 to complete" is_state 0 COMPLETED
set +e
"$T/bin/hongbao" merge "$OUT" >"$T/merge-early.out" 2>&1
early=$?
set -e
cat "$T/merge-early.out"
[ "$early" != 0 ] || fail "hongbao merge exited 0 with shard 2 missing"
grep -q "shard 2 of $shards is missing: runs 2, 6, 10, " "$T/merge-early.out" || fail "the merge did not list shard 2's runs as missing"
grep -q "$(basename "$(shard_dir 2)"): not finished, its journal has" "$T/merge-early.out" || fail "the merge did not say how far shard 2 got"
[ ! -e "$OUT/runs.csv" ] || fail "the failed merge wrote $OUT/runs.csv"

step "scontrol requeue ${array}_2, and the merge made to wait on each task"
sl scontrol requeue "${array}_2"
# afterok on the whole array stays failed once a task has failed, even
# after that task is requeued and completes: the merge must wait on each
# task instead, which looks at the task's last run only.
tasks=$(for ((i = 0; i < shards; i++)); do printf ':%s_%d' "$array" "$i"; done)
echo "scontrol update JobId=$merge Dependency=afterok$tasks"
sl scontrol update JobId="$merge" Dependency=afterok"$tasks"
echo "merge job $merge: $(job_field "$merge" JobState), reason $(job_field "$merge" Reason), dependency $(job_field "$merge" Dependency)"

# ------------------------------------------------------------- the end
step "waiting for the array and the merge"
merge_done() {
	local s
	s=$(job_field "$merge" JobState)
	case "$s" in
	COMPLETED) return 0 ;;
	PENDING | RUNNING | COMPLETING | CONFIGURING) return 1 ;;
	*) fail "merge job $merge ended $s (reason $(job_field "$merge" Reason))" ;;
	esac
}
wait_for 180 "the merge job to complete" merge_done

for ((i = 0; i < shards; i++)); do
	s=$(task_state "$i")
	x=$(job_field "${array}_$i" ExitCode)
	r=$(job_field "${array}_$i" Restarts)
	echo "task $i: $s exit $x restarts $r"
	[ "$s" = COMPLETED ] && [ "$x" = 0:0 ] || fail "task $i ended $s with exit $x"
done
for i in 1 2; do
	[ "$(job_field "${array}_$i" Restarts)" -ge 1 ] || fail "task $i was not requeued"
done
# The requeued tasks resumed their journals instead of starting again.
for i in 1 2; do
	log=$T/work/hongbao-sweep-${array}_$i.out
	grep -E "shard $i of $shards: wrote .*: [0-9]+ runs \([0-9]+ now, [1-9][0-9]* resumed\)" "$log" ||
		fail "task $i did not resume its journal: $(cat "$log")"
done
grep -q "requeueing task 1" "$T/work/hongbao-sweep-${array}_1.out" || fail "task 1 did not requeue itself after SIGTERM"
grep -q "stopped by SIGTERM, job state [A-Z]*: not requeued" "$T/work/hongbao-sweep-${array}_2.out" || fail "task 2 did not stop as cancelled"
for i in 1 2; do
	echo "---- hongbao-sweep-${array}_$i.out"
	cat "$T/work/hongbao-sweep-${array}_$i.out"
done
cat "$T/work/hongbao-merge-$merge.out"

step "the merged files equal the one-machine sweep"
for f in runs.csv runs.parquet points.csv series.csv series.parquet manifest.json; do
	cmp "$T/one/$f" "$OUT/$f" || fail "$f of the Slurm sweep differs from the one-machine sweep"
done
# Every run exactly once: runs.csv's run column is 0 … runs-1.
got=$(tail -n +2 "$OUT/runs.csv" | cut -d, -f1 | sort -n | uniq | wc -l)
all=$(tail -n +2 "$OUT/runs.csv" | wc -l)
[ "$got" = "$runs" ] && [ "$all" = "$runs" ] || fail "runs.csv has $all rows and $got distinct runs, want $runs"
[ "$(tail -n +2 "$OUT/runs.csv" | cut -d, -f1 | sort -n | tail -n 1)" = $((runs - 1)) ] || fail "runs.csv does not end at run $((runs - 1))"
echo "$runs runs, each once; runs.csv, runs.parquet, points.csv, series.csv, series.parquet and manifest.json byte-identical"
cd "$repo"
step "passed"
