#!/usr/bin/env bash
# Seeds fuzz/corpus/<target>/ from the test fixtures, so the fuzzers start from real inputs.
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p corpus/env_file corpus/flag_csv corpus/go_json
cp ../testdata/generic/files/*.env corpus/env_file/
printf '%s' 'a,A' > corpus/flag_csv/two
printf '%s' '"k=c,d"' > corpus/flag_csv/quoted
printf '%s' 'k="c,d"' > corpus/flag_csv/bare-quote
printf '%s' $'a\nA' > corpus/flag_csv/newline
for f in ../testdata/generic/golden/*.stdout; do cp "$f" corpus/go_json/; done
# Later targets (PEM, docker config, manifests, specs) take their fixtures here too.
for dir in tls docker pachyderm; do
  [ -d "../testdata/$dir" ] || continue
  mkdir -p "corpus/$dir"
  find "../testdata/$dir" -type f -size -64k -exec cp {} "corpus/$dir/" \;
done
echo "corpus seeded: $(find corpus -type f | wc -l) files"
