#!/usr/bin/env bash
# CLI: `ecoreport inspect` on every kind of bad input named in issue 2, with
# the exact message and exit code.
ECOREPORT=$1
. "$(dirname "$0")/lib.sh"

printf 'model,co2_t\nGPT-3,502,1\n' > extra.csv
check too-many-fields 65 "$ECOREPORT" inspect extra.csv <<'EOF'
ecoreport: extra.csv:2:11: error: row has 3 fields, the header has 2: extra field "1"
EOF

printf 'model,params,co2_t\nGPT-3,175B\n' > short.csv
check too-few-fields 65 "$ECOREPORT" inspect short.csv <<'EOF'
ecoreport: short.csv:2:11: error: row has 2 fields, the header has 3 (column "co2_t" is missing)
EOF

printf 'model,co2_t\nBLOOM,25\nGopher,352\nOPT,70\nGPT-3,\xe9502\n' > utf8.csv
check invalid-utf8 65 "$ECOREPORT" inspect utf8.csv <<'EOF'
ecoreport: utf8.csv:5:7: error: column "co2_t": invalid UTF-8 (byte 0xE9) in "\xE9502"
EOF

printf 'model,note\nBLOOM,"a\nOPT,b\n' > unterminated.csv
check unterminated-quote 65 "$ECOREPORT" inspect unterminated.csv <<'EOF'
ecoreport: unterminated.csv:2:7: error: column "note": quoted field is not closed before the end of the file
EOF

printf 'model,note\nBLOOM,a"b\n' > stray.csv
check stray-quote 65 "$ECOREPORT" inspect stray.csv <<'EOF'
ecoreport: stray.csv:2:8: error: column "note": misplaced quote character (quote the whole field and double any quote inside it)
EOF

: > empty.csv
check empty-file 65 "$ECOREPORT" inspect empty.csv <<'EOF'
ecoreport: empty.csv:1:1: error: empty file: no header row
EOF

printf 'a,b\nx,y\0z\n' > nul.csv
check nul-byte 65 "$ECOREPORT" inspect nul.csv <<'EOF'
ecoreport: nul.csv:2:4: error: column "b": NUL byte in "y\x00z"
EOF

# A field of 20 MB: refused with its position, in bounded memory.
{ printf 'a,b\n1,"'; head -c 20000000 /dev/zero | tr '\0' 'x'; printf '"\n'; } > bigfield.csv
check huge-field 65 "$ECOREPORT" inspect bigfield.csv <<'EOF'
ecoreport: bigfield.csv:2:1: error: record longer than the 16 MiB limit (is a closing quote missing?)
EOF

# A 100,000-column header.
python3 -c 'print(",".join("c%d" % i for i in range(100000)))' > wide.csv
check wide-header 65 "$ECOREPORT" inspect wide.csv <<'EOF'
ecoreport: wide.csv:1:1: error: record has more than 10000 fields (the column limit)
EOF

check missing-file 66 "$ECOREPORT" inspect nosuch.csv <<'EOF'
ecoreport: nosuch.csv: error: cannot open: No such file or directory
EOF

mkdir adir
check directory 66 "$ECOREPORT" inspect adir <<'EOF'
ecoreport: adir: error: cannot read: Is a directory
EOF

printf 'energy\n"1,287 MWh"\n5 kg\n' > units.csv
check inconvertible-units 65 "$ECOREPORT" inspect units.csv <<'EOF'
ecoreport: units.csv:3:1: error: column "energy": unit "kg" cannot be converted to "MWh", the column's unit
EOF

# --bad-rows skip: warnings with positions, a count, and the good rows kept.
printf 'model,co2_t\nBLOOM,25\nOPT\nGopher,352,1\nGPT-3,502\n' > ragged.csv
check bad-rows-skip 0 "$ECOREPORT" inspect --bad-rows skip ragged.csv <<'EOF'
ecoreport: ragged.csv:3:4: warning: row has 1 fields, the header has 2 (column "co2_t" is missing) (row skipped)
ecoreport: ragged.csv:4:12: warning: row has 3 fields, the header has 2: extra field "1" (row skipped)
ecoreport: ragged.csv: warning: skipped 2 bad rows (first at lines 3, 4)
EOF
ok bad-rows-skip-count sh -c "'$ECOREPORT' inspect --bad-rows skip ragged.csv 2>/dev/null | grep -qx 'rows       2 (2 skipped)'"

printf 'a,b\n' > header-only.csv
ok header-only sh -c "'$ECOREPORT' inspect header-only.csv | grep -qx 'rows       0'"

# Usage errors: exit 64.
check no-args 64 "$ECOREPORT" <<'EOF'
ecoreport: missing command
Try 'ecoreport --help' for more information.
EOF
check unknown-command 64 "$ECOREPORT" frobnicate <<'EOF'
ecoreport: unknown command 'frobnicate'
Try 'ecoreport --help' for more information.
EOF
check inspect-no-file 64 "$ECOREPORT" inspect <<'EOF'
ecoreport: inspect: missing DATA.csv
Try 'ecoreport inspect --help' for more information.
EOF
check inspect-bad-option 64 "$ECOREPORT" inspect --frob x.csv <<'EOF'
ecoreport: inspect: unknown option '--frob'
Try 'ecoreport inspect --help' for more information.
EOF
check inspect-bad-decimal 64 "$ECOREPORT" inspect --decimal ';' x.csv <<'EOF'
ecoreport: inspect: --decimal must be '.' or ',', not ';'
Try 'ecoreport inspect --help' for more information.
EOF
check inspect-bad-to 64 "$ECOREPORT" inspect --to xml x.csv <<'EOF'
ecoreport: inspect: --to must be 'text' or 'json', not 'xml'
Try 'ecoreport inspect --help' for more information.
EOF
check batch-no-manifest 66 "$ECOREPORT" batch m.yaml <<'EOF'
ecoreport: m.yaml: error: cannot open: No such file or directory
EOF
# Positions deep in a file, far past the first batch the parsing thread
# hands over: read again from the file, or from the batch's copy (stdin).
awk 'BEGIN { print "a,b,c,d"; for (i = 0; i < 200000; i++) {
  if (i == 150000) printf "1,\"x \"\"q\"\" y\",3,4 \3775\n";
  else if (i == 160000) print "1,2,3";
  else printf "%d,\"text %d\",%d.5,z\n", i, i, i } }' > deep.csv
check deep-file 0 "$ECOREPORT" inspect deep.csv --bad-rows skip <<'EOF'
ecoreport: deep.csv:150002:19: warning: column "d": invalid UTF-8 (byte 0xFF) in "4 \xFF5" (row skipped)
ecoreport: deep.csv:160002:6: warning: row has 3 fields, the header has 4 (column "d" is missing) (row skipped)
ecoreport: deep.csv: warning: skipped 2 bad rows (first at lines 150002, 160002)
EOF
check deep-stdin 0 sh -c "cat deep.csv | '$ECOREPORT' inspect - --bad-rows skip" <<'EOF'
ecoreport: -:150002:19: warning: column "d": invalid UTF-8 (byte 0xFF) in "4 \xFF5" (row skipped)
ecoreport: -:160002:6: warning: row has 3 fields, the header has 4 (column "d" is missing) (row skipped)
ecoreport: -: warning: skipped 2 bad rows (first at lines 150002, 160002)
EOF
# Standard input that is a file someone has read a line of already: our
# offsets (and the two parsers' segments) count from where we start.
{ echo "a line read by someone else"; cat deep.csv; } > deep-after.csv
check deep-stdin-file 0 sh -c "{ read -r line; exec '$ECOREPORT' inspect - --bad-rows skip; } < deep-after.csv" <<'EOF'
ecoreport: -:150002:19: warning: column "d": invalid UTF-8 (byte 0xFF) in "4 \xFF5" (row skipped)
ecoreport: -:160002:6: warning: row has 3 fields, the header has 4 (column "d" is missing) (row skipped)
ecoreport: -: warning: skipped 2 bad rows (first at lines 150002, 160002)
EOF
ok version sh -c "'$ECOREPORT' --version | grep -q '^ecoreport [0-9]'"
ok help-lists-commands sh -c "'$ECOREPORT' --help | grep -q 'inspect' && '$ECOREPORT' --help | grep -q 'batch'"

finish
