#!/usr/bin/env bash
# Usage: contrib/slurm/submit.sh MODEL.dtr SHARDS OUTPUT [SWEEP ARGS…]
# Queues SHARDS array tasks of `dtr sweep MODEL --shard I/SHARDS` and a merge
# that runs once all of them succeeded, writing OUTPUT (JSON; set DTR_FORMAT
# for text or csv). Prints the two job ids.
set -euo pipefail
if [ $# -lt 3 ]; then
  sed -n '2,5p' "$0" >&2
  exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
model=$(realpath "$1")
shards=$2
output=$(realpath -m "$3")
shift 3
folder="$output.shards"
array=$(DTR_MODEL=$model DTR_SHARDS=$folder DTR_SWEEP_ARGS="$*" \
  sbatch --parsable --export=ALL --array="1-$shards" "$here/sweep-shard.sbatch")
merge=$(DTR_SHARDS=$folder DTR_OUTPUT=$output \
  sbatch --parsable --export=ALL --dependency="afterok:${array%%;*}" "$here/merge.sbatch")
echo "array job $array, merge job $merge"
