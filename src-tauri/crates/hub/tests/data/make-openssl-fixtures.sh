#!/usr/bin/env bash
# Rebuilds the SM4 fixtures of src/crypto.rs independently, with OpenSSL (3.x, with SM3/SM4).
set -euo pipefail
cd "$(dirname "$0")"
PLAIN='{"basicinfo":{"applicant_name":"张三"}}'

# Default scheme: SM4-ECB, PKCS#7, Base64, key = the hex digits of sign.
printf '%s' "$PLAIN" | openssl enc -sm4-ecb -K 0123456789abcdeffedcba9876543210 -base64 -A \
    > openssl-sm4-ecb.b64

# Hardened scheme: sub-keys from the pre-shared key with HMAC-SM3, SM4-CBC, HMAC-SM3 over IV || ct.
PSK=00112233445566778899aabbccddeeff
IV=0f0e0d0c0b0a09080706050403020100
hmac() { openssl dgst -sm3 -mac HMAC -macopt "hexkey:$1" "${@:2}"; }
ENC=$(printf 'yichuang-hub/enc' | hmac "$PSK" | awk '{print $2}' | cut -c1-32)
MAC=$(printf 'yichuang-hub/mac' | hmac "$PSK" | awk '{print $2}')
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
{ printf '%s' "$IV" | xxd -r -p; printf '%s' "$PLAIN" | openssl enc -sm4-cbc -K "$ENC" -iv "$IV"; } > "$tmp/ivct"
hmac "$MAC" -binary "$tmp/ivct" > "$tmp/tag"
cat "$tmp/ivct" "$tmp/tag" | base64 -w0 > openssl-hardened.b64
