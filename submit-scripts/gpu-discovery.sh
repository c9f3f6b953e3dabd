#!/usr/bin/env bash
# Spark's GPU discovery script (spark.executor.resource.gpu.discoveryScript, spark.worker.resource.gpu.discoveryScript,
# spark.driver.resource.gpu.discoveryScript): prints the GPUs of this machine as Spark's resource JSON,
#   {"name":"gpu","addresses":["0","1"]}
# from nvidia-smi's device indices. Fails (non-zero, message on stderr) when nvidia-smi is missing or fails,
# so that an executor that cannot see its GPUs does not start as if it had none.
set -euo pipefail

NVIDIA_SMI="${NVIDIA_SMI:-nvidia-smi}"
if ! command -v "$NVIDIA_SMI" >/dev/null 2>&1; then
  echo "gpu-discovery: $NVIDIA_SMI not found: no NVIDIA driver on $(hostname)?" >&2
  exit 1
fi

indices="$("$NVIDIA_SMI" --query-gpu=index --format=csv,noheader)"
addresses=""
while IFS= read -r index; do
  index="${index//[[:space:]]/}"
  [[ -z "$index" ]] && continue
  if [[ ! "$index" =~ ^[0-9]+$ ]]; then
    echo "gpu-discovery: unexpected GPU index '$index' from $NVIDIA_SMI" >&2
    exit 1
  fi
  addresses="${addresses:+$addresses,}\"$index\""
done <<< "$indices"

printf '{"name":"gpu","addresses":[%s]}\n' "$addresses"
