#!/usr/bin/env bash
# Regenerates the committed Swift code of the tree's wire protocol from its .proto.
#
# Why a script and not the SwiftPM build plugin: the plugin would compile protoc from C++ source
# on every clean build (minutes on a 2-core machine). Instead this script uses Debian's protoc
# and builds the two Swift plugins once, in release, in a scratch directory (.build-wire/,
# ignored by git), then writes the generated files into Sources/LoadTreeWire/Generated/, which
# ARE committed. Run it after every change to a .proto and commit the result.
#
#   bash scripts/generate-wire.sh
#
# Versions are pinned to the ones Package.swift depends on, so generated code and runtime agree.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

GRPC_SWIFT_PROTOBUF_VERSION="2.4.1"
GRPC_SWIFT_VERSION="2.4.3"
SWIFT_PROTOBUF_VERSION="1.39.0"
PROTO_ROOT="Sources/LoadTreeWire/Proto"
OUT_DIR="Sources/LoadTreeWire/Generated"
SCRATCH="$root/.build-wire"
CHECKOUT="$SCRATCH/grpc-swift-protobuf-$GRPC_SWIFT_PROTOBUF_VERSION"

# 1. protoc from Debian, only when missing.
if ! command -v protoc >/dev/null 2>&1; then
  echo "generate-wire: installing protobuf-compiler"
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq protobuf-compiler
fi

# 2. The two plugins, built from one grpc-swift-protobuf checkout in release. Its dependency on
#    swift-protobuf provides protoc-gen-swift; grpc-swift-protobuf provides protoc-gen-grpc-swift-2.
mkdir -p "$SCRATCH"
if [ ! -d "$CHECKOUT/.git" ]; then
  rm -rf "$CHECKOUT"
  git clone --quiet --branch "$GRPC_SWIFT_PROTOBUF_VERSION" \
    https://github.com/grpc/grpc-swift-protobuf "$CHECKOUT"
fi
# Pin the plugins' own dependencies to the runtime versions in Package.swift, so the generator
# never emits code for a newer runtime than the one LoadTree links.
nice -n 10 swift package --package-path "$CHECKOUT" resolve
nice -n 10 swift package --package-path "$CHECKOUT" resolve swift-protobuf --version "$SWIFT_PROTOBUF_VERSION"
nice -n 10 swift package --package-path "$CHECKOUT" resolve grpc-swift-2 --version "$GRPC_SWIFT_VERSION"
plugin_bin="$CHECKOUT/.build/release"
for product in protoc-gen-swift protoc-gen-grpc-swift-2; do
  if [ ! -x "$plugin_bin/$product" ]; then
    echo "generate-wire: building $product (release; a few minutes the first time)"
    nice -n 10 swift build -c release --package-path "$CHECKOUT" --product "$product"
  fi
done

# 3. Generate. Old generated files are removed first so a renamed .proto leaves nothing behind.
mkdir -p "$OUT_DIR"
find "$OUT_DIR" -name "*.swift" -delete
protos=()
while IFS= read -r -d '' f; do protos+=("${f#"$PROTO_ROOT"/}"); done \
  < <(find "$PROTO_ROOT" -name '*.proto' -print0 | sort -z)
if [ ${#protos[@]} -eq 0 ]; then
  echo "generate-wire: no .proto files under $PROTO_ROOT" >&2
  exit 1
fi

protoc \
  --proto_path="$PROTO_ROOT" \
  --plugin=protoc-gen-swift="$plugin_bin/protoc-gen-swift" \
  --plugin=protoc-gen-grpc-swift-2="$plugin_bin/protoc-gen-grpc-swift-2" \
  --swift_out="$OUT_DIR" \
  --swift_opt=Visibility=Public \
  --grpc-swift-2_out="$OUT_DIR" \
  --grpc-swift-2_opt=Visibility=Public,Server=true,Client=true \
  "${protos[@]}"

echo "generate-wire: wrote $(cd "$OUT_DIR" && find . -name "*.swift" | sort | tr "\n" " ")"
