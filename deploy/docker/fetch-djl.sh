#!/usr/bin/env bash
# Fetches what the job image needs from DJL, for one PyTorch flavour, into OUT_DIR:
#   OUT_DIR/lib/      DJL jars (api, pytorch-engine, pytorch-jni, tokenizers, gson, jna) for Flink's lib/
#   OUT_DIR/pytorch/  libtorch of the flavour, unpacked from DJL's pytorch-native jar (PYTORCH_LIBRARY_PATH)
# and checks that the pieces fit together (flavour, PyTorch version, JNI build), so that a mismatch fails the image
# build instead of sending DJL to the network at run time.
#
# Usage: fetch-djl.sh FLAVOR PYTORCH_VERSION OUT_DIR     FLAVOR: cpu | cu128
# Extra Maven flags (for example -o for an offline build from ~/.m2) come from $MVN_FLAGS.
set -euo pipefail

if [ $# -ne 3 ]; then
  echo "usage: $0 cpu|cu128 PYTORCH_VERSION OUT_DIR" >&2
  exit 2
fi
FLAVOR="$1"
PYTORCH_VERSION="$2"
OUT="$3"
case "$FLAVOR" in
  cpu|cu128) ;;
  *) echo "unknown PyTorch flavour '$FLAVOR' (cpu or cu128)" >&2; exit 2 ;;
esac
CLASSIFIER=linux-x86_64
HERE="$(cd "$(dirname "$0")" && pwd)"
POM="$HERE/djl-lib/pom.xml"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

mvn_copy() {
  # shellcheck disable=SC2086
  mvn -B -ntp -q ${MVN_FLAGS:-} -f "$POM" -P "$FLAVOR" dependency:copy-dependencies -DincludeScope=runtime "$@"
}

# Flink's lib/ already has SLF4J (inside flink-dist); a second binding there would clash.
mvn_copy -DexcludeGroupIds=org.slf4j -DexcludeArtifactIds="pytorch-native-$FLAVOR" -DoutputDirectory="$OUT/lib"
mvn_copy -DincludeArtifactIds="pytorch-native-$FLAVOR" -DoutputDirectory="$WORK/native"

native_jars=("$WORK"/native/pytorch-native-"$FLAVOR"-*-"$CLASSIFIER".jar)
if [ ${#native_jars[@]} -ne 1 ] || [ ! -f "${native_jars[0]}" ]; then
  echo "expected one pytorch-native-$FLAVOR jar, found: ${native_jars[*]}" >&2
  exit 1
fi
jni_jars=("$OUT"/lib/pytorch-jni-*.jar)
if [ ${#jni_jars[@]} -ne 1 ] || [ ! -f "${jni_jars[0]}" ]; then
  echo "expected one pytorch-jni jar in $OUT/lib, found: ${jni_jars[*]}" >&2
  exit 1
fi

# The native jar says what it is in native/lib/pytorch.properties (version=2.7.1-<build date>, flavor=...).
(cd "$WORK" && jar xf "${native_jars[0]}" native/lib/pytorch.properties "pytorch/$FLAVOR/$CLASSIFIER/")
prop() { sed -n "s/^$1=//p" "$2" | tr -d '\r'; }
native_flavor="$(prop flavor "$WORK/native/lib/pytorch.properties")"
native_version="$(prop version "$WORK/native/lib/pytorch.properties")"
if [ "$native_flavor" != "$FLAVOR" ] || [[ "$native_version" != "$PYTORCH_VERSION"* ]]; then
  echo "native jar is $native_flavor $native_version, expected $FLAVOR $PYTORCH_VERSION" >&2
  exit 1
fi

# The JNI jar must be built for this PyTorch and carry a library for the flavour.
(cd "$WORK" && jar xf "${jni_jars[0]}" jnilib/pytorch.properties "jnilib/$CLASSIFIER/$FLAVOR/libdjl_torch.so")
jni_version="$(prop jni_version "$WORK/jnilib/pytorch.properties")"
if [[ "$jni_version" != "$PYTORCH_VERSION-"* ]]; then
  echo "pytorch-jni is built for $jni_version, not PyTorch $PYTORCH_VERSION" >&2
  exit 1
fi
if [ ! -f "$WORK/jnilib/$CLASSIFIER/$FLAVOR/libdjl_torch.so" ]; then
  echo "pytorch-jni has no $CLASSIFIER/$FLAVOR library" >&2
  exit 1
fi

rm -rf "$OUT/pytorch"
mv "$WORK/pytorch/$FLAVOR/$CLASSIFIER" "$OUT/pytorch"
if [ ! -f "$OUT/pytorch/libtorch.so" ]; then
  echo "no libtorch.so in the unpacked pytorch-native-$FLAVOR jar" >&2
  exit 1
fi
echo "DJL for Flink lib/: $(cd "$OUT/lib" && ls | tr '\n' ' ')"
echo "libtorch $native_version ($FLAVOR) in $OUT/pytorch: $(ls "$OUT/pytorch" | wc -l) files"
