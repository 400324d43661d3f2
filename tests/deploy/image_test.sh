#!/usr/bin/env bash
# tools/image builds an image that holds only the binary, the libraries it
# loads, the CA bundle and user 65532 (no shell), runs as 65532 with
# ENTRYPOINT /certmill and CMD controller, and whose filesystem alone runs
# `certmill controller --help` and, read-only as deploy/ mounts it, a
# controller that issues a Certificate on kube-sim and stops cleanly on
# SIGTERM. Its OCI archive names the image as deploy/controller/deployment.yaml
# does. Each run has its own buildah storage root and image name, so runs may
# overlap.
# Usage: image_test.sh TOOLS_IMAGE CERTMILL_BINARY KUBE_SIM DEPLOY_DIR
set -euo pipefail
tools_image=$1
binary=$2
sim=$3
deploy=$4

# shellcheck source=../support/kube_sim.sh
source "$(dirname "$0")/../support/kube_sim.sh"

root=$work/storage
name=certmill-image-test-$$-$RANDOM
buildah=(buildah --storage-driver vfs --root "$root" --runroot "$root/run")
container=
controller_pid=
# kube_sim.sh's cleanup stops kube-sim and removes $work; the controller, the
# container and the images go first.
remove_image() {
  local status=$?
  set +e
  if [[ -n $controller_pid ]]; then
    kill "$controller_pid" 2>/dev/null
    wait "$controller_pid" 2>/dev/null
  fi
  if [[ -n $container ]]; then "${buildah[@]}" rm "$container" >/dev/null 2>&1; fi
  "${buildah[@]}" rmi --force --all >/dev/null 2>&1
  # kube_sim.sh's cleanup exits with the status it finds in $?.
  (exit "$status")
  cleanup
}
trap remove_image EXIT

[[ $(id -u) -eq 0 ]] || fail "buildah builds and chroot runs the image as root; this test runs as uid $(id -u)"
version=$("$binary" version | sed -n '1s/^certmill //p')
[[ -n $version ]] || fail "'$binary version' printed no version"

# Built twice: the second build reuses the name and tags of the first.
for run in 1 2; do
  "$tools_image" --binary "$binary" --name "$name" --root "$root" \
    --output "oci-archive:$work/image.tar" >"$work/build.out" 2>&1 ||
    fail "tools/image, build $run: $(cat "$work/build.out")"
done
image=$name:$version

inspect() { "${buildah[@]}" inspect --type image --format "$1" "$image"; }
[[ $(inspect '{{.OCIv1.Config.User}}') == 65532:65532 ]] || fail "user is '$(inspect '{{.OCIv1.Config.User}}')'"
[[ $(inspect '{{.OCIv1.Config.Entrypoint}}') == '[/certmill]' ]] ||
  fail "entrypoint is '$(inspect '{{.OCIv1.Config.Entrypoint}}')'"
[[ $(inspect '{{.OCIv1.Config.Cmd}}') == '[controller]' ]] || fail "cmd is '$(inspect '{{.OCIv1.Config.Cmd}}')'"
[[ $(inspect '{{index .OCIv1.Config.Labels "org.opencontainers.image.version"}}') == "$version" ]] ||
  fail "label org.opencontainers.image.version is not $version: $(inspect '{{.OCIv1.Config.Labels}}')"
[[ $(inspect '{{.OCIv1.Config.Labels}}') == *org.opencontainers.image.revision:* ]] ||
  fail "no org.opencontainers.image.revision label: $(inspect '{{.OCIv1.Config.Labels}}')"
[[ $(inspect '{{len .OCIv1.RootFS.DiffIDs}}') == 1 ]] || fail "the image has $(inspect '{{len .OCIv1.RootFS.DiffIDs}}') layers, not 1"
"${buildah[@]}" inspect --type image "$name:latest" >/dev/null 2>&1 || fail "$name:latest was not tagged"

container=$("${buildah[@]}" from --pull-never --name "$name-container" "$image")
mnt=$("${buildah[@]}" mount "$container")

# Exactly the binary, what ldd resolves for it (the loader included), the CA
# bundle, the Public Suffix List, the time zones and the two user files: no
# shell, nothing else.
{
  echo /certmill
  echo /etc/group
  echo /etc/passwd
  echo /etc/ssl/certs/ca-certificates.crt
  echo /usr/share/publicsuffix/public_suffix_list.dat
  # The time zones, as tools/image selects them.
  (cd /usr/share/zoneinfo && find . -path ./right -prune -o -path ./posix -prune -o \
    \( -type f -o -type l \) -regex '\./[A-Za-z0-9_+/-]*' ! -name localtime ! -name posixrules \
    -print | sed 's|^\.|/usr/share/zoneinfo|')
  ldd "$binary" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }'
} | sort >"$work/expected"
(cd "$mnt" && find . -not -type d | sed 's/^\.//' | sort) >"$work/actual"
grep -q '/libc\.so' "$work/expected" || fail "ldd lists no libc for $binary: $(cat "$work/expected")"
diff "$work/expected" "$work/actual" >"$work/diff" || fail "the image's files differ from the expected list: $(cat "$work/diff")"
[[ ! -e $mnt/bin/sh ]] || fail "the image has /bin/sh"
grep -qx 'nonroot:x:65532:65532:[^:]*:[^:]*:[^:]*' "$mnt/etc/passwd" || fail "no user 65532 in /etc/passwd: $(cat "$mnt/etc/passwd")"
grep -qx 'nonroot:x:65532:' "$mnt/etc/group" || fail "no group 65532 in /etc/group: $(cat "$mnt/etc/group")"
if readelf -S "$mnt/certmill" | grep -q '\.debug_info'; then fail "/certmill keeps its debug info"; fi
[[ $(stat -c %a "$mnt/certmill") == 755 ]] || fail "/certmill has mode $(stat -c %a "$mnt/certmill")"

# The image's filesystem alone runs the binary as 65532: read-only, as
# deploy/controller/deployment.yaml mounts it, with /proc mounted as a
# container runtime would (the sanitizer runtime reads it), in a private mount
# namespace that ends with the command. The controller reads its kubeconfig
# from /kubeconfig, put there once the file list is checked. Every step
# execs the next, so a background run's pid is the controller's.
cp "$KUBECONFIG" "$mnt/kubeconfig"
chmod 0644 "$mnt/kubeconfig"
mkdir "$mnt/proc"
# shellcheck disable=SC2016 # the inner shell expands its own arguments
in_image=(env -i unshare --mount sh -c '
    m=$1; shift
    mount --bind "$m" "$m" && mount -o remount,bind,ro "$m" && mount -t proc proc "$m/proc" || exit 96
    if touch "$m/written" 2>/dev/null; then echo "the root is writable"; exit 97; fi
    exec chroot --userspec 65532:65532 "$m" "$@"' sh "$mnt")
"${in_image[@]}" /certmill controller --help >"$work/help" 2>&1 || fail "/certmill controller --help in the image: $(cat "$work/help")"
grep -q '^Usage: certmill controller' "$work/help" || fail "controller --help printed: $(cat "$work/help")"
grep -q -- '--metrics-listen-address' "$work/help" || fail "controller --help lists no flags: $(cat "$work/help")"
"${in_image[@]}" /certmill version >"$work/version" 2>&1 || fail "/certmill version in the image: $(cat "$work/version")"
grep -q "^certmill $version\$" "$work/version" || fail "version in the image printed: $(cat "$work/version")"

k apply -f "$deploy/crds" >"$work/out" 2>&1 || fail "applying the CRDs: $(cat "$work/out")"
cat >"$work/objects.yaml" <<'EOF'
apiVersion: cert-manager.io/v1
kind: Issuer
metadata:
  name: selfsigned
  namespace: default
spec:
  selfSigned: {}
---
apiVersion: cert-manager.io/v1
kind: Certificate
metadata:
  name: from-the-image
  namespace: default
spec:
  commonName: from-the-image.example.com
  secretName: from-the-image-tls
  privateKey:
    algorithm: ECDSA
    size: 256
  issuerRef:
    name: selfsigned
EOF
k apply -f "$work/objects.yaml" >"$work/out" 2>&1 || fail "applying the Issuer and Certificate: $(cat "$work/out")"
"${in_image[@]}" /certmill controller --kubeconfig /kubeconfig --leader-elect=false \
  --metrics-listen-address 127.0.0.1:0 --healthz-listen-address 127.0.0.1:0 \
  --http01-listen-address 127.0.0.1:0 >"$work/controller.out" 2>"$work/controller.err" &
controller_pid=$!
ready=
for _ in $(seq 120); do
  ready=$(k get certificate from-the-image -o 'jsonpath={.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null || true)
  [[ $ready == True ]] && break
  kill -0 "$controller_pid" 2>/dev/null ||
    fail "the controller in the image exited: $(tail -n 20 "$work/controller.out" "$work/controller.err")"
  sleep 0.5
done
[[ $ready == True ]] ||
  fail "the controller in the image made the Certificate Ready '$ready' within 60s: $(tail -n 20 "$work/controller.err")"
[[ -n $(k get secret from-the-image-tls -o 'jsonpath={.data.tls\.crt}') ]] || fail "the Secret has no tls.crt"
kill -TERM "$controller_pid"
code=0
wait "$controller_pid" || code=$?
controller_pid=
[[ $code -eq 0 ]] || fail "the controller in the image exited $code on SIGTERM: $(tail -n 20 "$work/controller.err")"
# It read the list at its default path (without it, it says so and counts
# every name under its last two labels).
grep -q 'Public Suffix List' "$work/controller.out" "$work/controller.err" &&
  fail "the controller in the image could not read the Public Suffix List: $(grep 'Public Suffix List' "$work/controller.out" "$work/controller.err")"

tar -xOf "$work/image.tar" index.json >"$work/index.json" 2>&1 || fail "the OCI archive has no index.json"
grep -q "\"org.opencontainers.image.ref.name\":\"docker.io/library/$name:latest\"" "$work/index.json" ||
  fail "the OCI archive does not name docker.io/library/$name:latest: $(cat "$work/index.json")"

echo "ok: $image, $(wc -l <"$work/actual") files, $(du -sh "$mnt" | cut -f1)"
