#!/bin/bash
# One loadgen sweep spread over a Slurm job array
# (https://slurm.schedmd.com/job_array.html): task I gets
# SLURM_ARRAY_TASK_ID=I, and `loadgen sweep --shard 7` runs shard I of 7 (a
# contiguous seventh of the runs) and writes runs/sweep.shard-I-of-7.csv.
# Then `loadgen merge` turns the seven files into the sweep.csv one machine
# would write.
#
#   go build -o loadgen ./cmd/loadgen
#   jid=$(sbatch --parsable deploy/slurm-sweep.sh)
#   sbatch --dependency=afterok:$jid --wrap './loadgen merge runs/sweep.shard-*-of-7.csv --out runs/sweep.csv'
#
# The array must be 0..SHARDS-1 (loadgen refuses an index outside it).
# LOADGEN and OUT may be set in the environment; change the sweep's flags below.
#SBATCH --job-name=aftershock-sweep
#SBATCH --array=0-6
#SBATCH --cpus-per-task=2
#SBATCH --mem=4G
#SBATCH --time=02:00:00
#SBATCH --output=slurm-%A_%a.out
set -euo pipefail

SHARDS=7 # = the array's size
LOADGEN=${LOADGEN:-./loadgen}
OUT=${OUT:-runs}

if [ "${SLURM_ARRAY_TASK_COUNT:-$SHARDS}" != "$SHARDS" ]; then
	echo "slurm-sweep.sh: the array has ${SLURM_ARRAY_TASK_COUNT} tasks, SHARDS is $SHARDS" >&2
	exit 2
fi
exec "$LOADGEN" sweep --policies all --seeds 5 --droplets 1e5 \
	--parallel "${SLURM_CPUS_PER_TASK:-2}" --shard "$SHARDS" --out "$OUT"
