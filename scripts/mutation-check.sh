#!/usr/bin/env bash
# Mutation check: plants each deliberate bug listed below in a copy of the repository, one at a time, and runs
# the tests that must catch it. A bug the tests miss ("SURVIVED") makes the check fail. The working tree is never
# changed. Takes about 15 minutes on 2 cores (one build and one focused test run per bug).
#
#   bash scripts/mutation-check.sh            # every mutation
#   bash scripts/mutation-check.sh clip-twice # only the named ones
source "$(dirname "$0")/common.sh"

# name | file | original text | mutated text | tests that must fail (dotnet test --filter)
# "\n" in the texts stands for a line break. Each original text must occur exactly once in its file, so a
# refactoring that moves the code makes this script stop with a clear message instead of testing nothing.
mutations=(
  "state-not-carried|lib/DlWorkbook/Training/Recurrent.cs|if (state is null \|\| randomSampling \|\||if (state is null \|\| true \|\||FullyQualifiedName~RecurrentTests"
  "rnn-returns-input-state|lib/DlWorkbook/Layers/RnnModel.cs|return (output, last.squeeze(0));|return (output, state);|FullyQualifiedName~RnnTests"
  "clip-threshold-doubled|lib/DlWorkbook/Training/Recurrent.cs|if (norm > maxNorm)|if (norm > 2 * maxNorm)|FullyQualifiedName~RecurrentTests"
  "loop-clips-at-twice|lib/DlWorkbook/Training/Recurrent.cs|ClipGradients(model, clipNorm);|ClipGradients(model, 2 * clipNorm);|FullyQualifiedName~RecurrentTests"
  "test-loader-drops-resize|lib/DlWorkbook/Data/FashionMnist.cs|shuffle: false, transform: transform)|shuffle: false)|FullyQualifiedName~FashionMnistTests"
  "device-always-cpu|lib/DlWorkbook/Training/Devices.cs|return first is null ? CPU : first.device;|return CPU;|FullyQualifiedName~DevicesTests"
  "loader-shuffles-once|lib/DlWorkbook/Data/TensorLoader.cs|var order = Shuffle ? Permutation() : null;|var order = Shuffle ? (firstOrder ??= Permutation()) : null;|FullyQualifiedName~TensorLoaderTests"
  "vocab-ties-by-name|lib/DlWorkbook/Data/Vocab.cs|.OrderByDescending(tf => tf.Item2)|.OrderByDescending(tf => tf.Item2).ThenBy(tf => tf.Item1, StringComparer.Ordinal)|FullyQualifiedName~TimeMachineTests"
)
# The loader mutation needs a field to remember its first order in.
extra_loader_shuffles_once="lib/DlWorkbook/Data/TensorLoader.cs|readonly Generator? generator;|readonly Generator? generator;\n    long[]? firstOrder;"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "mutation check: copying the working tree to $work"
git ls-files -z --cached --others --exclude-standard \
  | tar --null --files-from=- --ignore-failed-read -cf - 2>/dev/null | tar -xf - -C "$work"

# Replaces the one occurrence of $2 in $1 by $3 ("\n" as a line break); fails when $2 is not there exactly once.
replace_once() {
  local file="$work/$1"
  FROM="$2" TO="$3" perl -0777 -i -pe '
    BEGIN { ($from, $to) = map { s/\\n/\n/gr } ($ENV{FROM}, $ENV{TO}) }
    $count = () = /\Q$from\E/g;
    die "found $count times, expected once\n" unless $count == 1;
    s/\Q$from\E/$to/;' "$file" || { echo "mutation check: cannot plant it in $1: \"$2\"" >&2; return 1; }
}

build() { dotnet build "$work/tests/DlWorkbook.Tests" -c Release -nologo -v quiet -clp:ErrorsOnly >"$work/build.log" 2>&1; }
run_tests() { dotnet test "$work/tests/DlWorkbook.Tests" -c Release --no-build -nologo --filter "$1" >"$work/test.log" 2>&1; }

echo "mutation check: building and running the focused tests on the unchanged code"
build || { cat "$work/build.log"; echo "mutation check: the unchanged code does not build" >&2; exit 1; }
filters=$(printf '%s\n' "${mutations[@]}" | cut -d'|' -f5 | sort -u | paste -sd'|')
run_tests "$filters" || { grep -E "Failed |Error Message" -A2 "$work/test.log"; echo "mutation check: the tests fail without any mutation" >&2; exit 1; }

survived=0
results=()
for entry in "${mutations[@]}"; do
  IFS='|' read -r name file from to filter <<<"$(sed 's/\\|/\x1f/g' <<<"$entry")"
  from=${from//$'\x1f'/|}; to=${to//$'\x1f'/|}
  if [ $# -gt 0 ] && [[ " $* " != *" $name "* ]]; then continue; fi
  cp "$work/$file" "$work/$file.orig"
  replace_once "$file" "$from" "$to"
  extra_var="extra_${name//-/_}"
  if [ -n "${!extra_var:-}" ]; then
    IFS='|' read -r efile efrom eto <<<"${!extra_var}"
    [ -f "$work/$efile.orig" ] || cp "$work/$efile" "$work/$efile.orig"
    replace_once "$efile" "$efrom" "$eto"
  fi
  if ! build; then
    results+=("$name: does not compile (fix the mutation): $(grep -m1 -o 'error CS[0-9]*:.*' "$work/build.log")")
    survived=$((survived + 1))
  elif run_tests "$filter"; then
    results+=("$name: SURVIVED, no test failed ($filter)"); survived=$((survived + 1))
  else
    caught=$(sed -nE 's/^ +Failed ([A-Za-z0-9_.]+).*/\1/p' "$work/test.log" | sed 's/^DlWorkbook\.Tests\.//' | sort -u | paste -sd, | sed 's/,/, /g')
    results+=("$name: caught by $caught")
  fi
  for f in "$work/$file" ${efile:+"$work/$efile"}; do [ -f "$f.orig" ] && mv "$f.orig" "$f"; done
  efile=
  echo "${results[-1]}"
done

echo
echo "mutation check: $(( ${#results[@]} - survived )) of ${#results[@]} mutations caught"
[ "$survived" -eq 0 ]
