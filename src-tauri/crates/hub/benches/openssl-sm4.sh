#!/usr/bin/env bash
# The same-run baseline for benches/sm4.rs: OpenSSL's SM4-ECB throughput on 64 KiB blocks.
# Run right after `cargo bench -p yichuang-hub --bench sm4` on the same machine.
set -euo pipefail
if ! openssl list -cipher-algorithms 2>/dev/null | grep -qi 'sm4-ecb'; then
    echo "this OpenSSL has no SM4-ECB" >&2
    exit 1
fi
openssl version
# -bytes: one buffer size (64 KiB, like the criterion bench); -seconds: per size.
openssl speed -evp sm4-ecb -bytes 65536 -seconds "${SECONDS_PER_RUN:-3}" 2>/dev/null | tail -n 3
