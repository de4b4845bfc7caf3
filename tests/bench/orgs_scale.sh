#!/usr/bin/env bash
# orgs at scale (issue 4), each figure against GetArea in the same run:
#   - a 30,011-organisation tree (1 district committee, 10 street committees,
#     300 community committees, 9,900 grid branches, 19,800 building groups)
#     listed as a subtree, a page of 100 and a page of 1,000
#   - the coverage report over 10,000 places (a page of 1,000 examined)
#   - a member found by the keyed hash of a phone among 5,000 (FindMembers,
#     which also writes its audit row)
# h2load, 8 connections x 1 stream, unary gRPC, straight to orgs.
# Usage: tests/bench/orgs_scale.sh [SECONDS]  (default 10). Writes its
# section of docs/BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-10}
build=${GRASSROOTS_BUILD_DIR:-build}
bash deploy/install-deps.sh bench
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j2 --target grassroots-orgs grassroots-cli grassroots_test_mariadb >/dev/null

# shellcheck source=tests/bench/lib.sh
source tests/bench/lib.sh
bench_protos="protos/grassroots/orgs/v1/*.proto"
bench_start_db scale
"$build/services/orgs/grassroots-orgs" --grpc-address=127.0.0.1:0 --metrics-address=127.0.0.1:0 \
  --db-port="$db_port" --db-user=root --db-schema=scale 2>"$work/orgs.log" &
pids+=($!)
orgs_port=$(port_in "$work/orgs.log" grpc_port)
cli() { "$build/services/cli/grassroots-cli" --target=127.0.0.1:$orgs_port "$@"; }

# The synthetic district, as import files.
/usr/bin/python3 - "$work" <<'PY'
import sys
work = sys.argv[1]
weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
def id_number(serial):
    base = f"4401061978{serial:07d}"
    return base + "10X98765432"[sum(int(c) * w for c, w in zip(base, weights)) % 11]
streets = [f"s{i:02d}" for i in range(10)]
communities = [(s, f"c{j:02d}") for s in streets for j in range(30)]
with open(f"{work}/areas.csv", "w") as f:
    f.write("kind,code,display_name,parent_path\nDISTRICT,sd,Scale District,\n")
    for s in streets:
        f.write(f"STREET,{s},Street {s},sd\n")
    for s, c in communities:
        f.write(f"COMMUNITY,{c},Community {s}{c},sd/{s}\n")
with open(f"{work}/orgs.csv", "w") as f:
    f.write("kind,code,display_name,parent_path,area_path,unit_name\n")
    f.write("DISTRICT_COMMITTEE,sd,District Committee,,sd,\n")
    for s in streets:
        f.write(f"STREET_WORKING_COMMITTEE,{s},Committee {s},sd,sd/{s},\n")
    for s, c in communities:
        f.write(f"COMMUNITY_COMMITTEE,{c},Committee {s}{c},sd/{s},sd/{s}/{c},\n")
        for g in range(33):
            f.write(f"GRID_BRANCH,g{g:02d},Grid {g},sd/{s}/{c},sd/{s}/{c},\n")
            for b in range(2):
                f.write(f"BUILDING_GROUP,b{b},Building {b},sd/{s}/{c}/g{g:02d},sd/{s}/{c},\n")
kinds = ["RESIDENTIAL_COMPOUND", "COMMERCIAL_BUILDING", "MARKET", "ENTERPRISE", "COMPLEX"]
with open(f"{work}/places.csv", "w") as f:
    f.write("kind,display_name,area_path,resident_count,employee_count\n")
    for i in range(10000):
        s, c = communities[i % len(communities)]
        kind = kinds[i % len(kinds)]
        residents = 200 + (i * 37) % 1200 if kind == "RESIDENTIAL_COMPOUND" else 0
        employees = 0 if kind == "RESIDENTIAL_COMPOUND" else 20 + (i * 53) % 600
        f.write(f"{kind},Place {i},sd/{s}/{c},{residents},{employees}\n")
with open(f"{work}/members.csv", "w") as f:
    f.write("organisation_path,status,join_date,probation_end_date,name,phone,id_number\n")
    for i in range(5000):
        s, c = communities[i % len(communities)]
        f.write(f"sd/{s}/{c}/g{i % 33:02d},FULL,2012-07-01,,王伟,139{i:08d},{id_number(i)}\n")
PY
t0=$(date +%s.%N)
cli import-areas "$work/areas.csv" >/dev/null
t1=$(date +%s.%N)
cli import grassroots.orgs.v1.OrganisationService/ImportOrganisations "$work/orgs.csv" >/dev/null
t2=$(date +%s.%N)
cli import grassroots.orgs.v1.PlaceService/ImportPlaces "$work/places.csv" >/dev/null
t3=$(date +%s.%N)
cli import grassroots.orgs.v1.MemberService/ImportMembers "$work/members.csv" >/dev/null
t4=$(date +%s.%N)
orgs_count=$(mariadb --no-defaults -h127.0.0.1 -P"$db_port" -uroot -N scale -e "SELECT COUNT(*) FROM organisations")
district_area=$(cli call grassroots.orgs.v1.AreaService/ListAreas '{}' | id_of)
district_org=$(cli call grassroots.orgs.v1.OrganisationService/ListOrganisations '{}' | id_of)
token=$(cli --as=bench token)

frame grassroots.orgs.v1.GetAreaRequest "id: \"$district_area\"" "$work/get.bin"
frame grassroots.orgs.v1.ListOrganisationsRequest "parent_id: \"$district_org\" subtree: true page_size: 100" "$work/list100.bin"
frame grassroots.orgs.v1.ListOrganisationsRequest "parent_id: \"$district_org\" subtree: true page_size: 1000" "$work/list1000.bin"
frame grassroots.orgs.v1.ListUncoveredPlacesRequest "area_id: \"$district_area\" page_size: 1000" "$work/uncovered.bin"
frame grassroots.orgs.v1.FindMembersRequest "phone: \"13900002500\" purpose: \"benchmark\"" "$work/find.bin"

# Straight to orgs, 8 connections x 1 stream; ratios to one decimal.
scale_h2() { h2_connections=8 h2_streams=1 h2 "$orgs_port" "$@"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.1f", 100 * a / b}'; }
# A call that fails is no figure: each must answer once (set -e stops here).
cli call grassroots.orgs.v1.OrganisationService/ListOrganisations \
  "{\"parentId\":\"$district_org\",\"subtree\":true,\"pageSize\":1000}" >/dev/null
cli call grassroots.orgs.v1.PlaceService/ListUncoveredPlaces \
  "{\"areaId\":\"$district_area\",\"pageSize\":1000}" >/dev/null
cli call grassroots.orgs.v1.MemberService/FindMembers \
  '{"phone":"13900002500","purpose":"benchmark"}' | grep -q '"members"'
rounds=${GRASSROOTS_BENCH_ROUNDS:-3}
rows=""; r100=(); r1000=(); rcov=(); rfind=()
for round in $(seq 1 "$rounds"); do
  read -r g_rps g_p50 g_p99 g_bad < <(scale_h2 /grassroots.orgs.v1.AreaService/GetArea "$work/get.bin")
  read -r a_rps a_p50 a_p99 a_bad < <(scale_h2 /grassroots.orgs.v1.OrganisationService/ListOrganisations "$work/list100.bin")
  read -r b_rps b_p50 b_p99 b_bad < <(scale_h2 /grassroots.orgs.v1.OrganisationService/ListOrganisations "$work/list1000.bin")
  read -r c_rps c_p50 c_p99 c_bad < <(scale_h2 /grassroots.orgs.v1.PlaceService/ListUncoveredPlaces "$work/uncovered.bin")
  read -r f_rps f_p50 f_p99 f_bad < <(scale_h2 /grassroots.orgs.v1.MemberService/FindMembers "$work/find.bin")
  r100+=("$(ratio "$a_rps" "$g_rps")"); r1000+=("$(ratio "$b_rps" "$g_rps")")
  rcov+=("$(ratio "$c_rps" "$g_rps")"); rfind+=("$(ratio "$f_rps" "$g_rps")")
  rows+="| $round | GetArea | $g_rps | $g_p50 | $g_p99 | 100% |"$'\n'
  rows+="| $round | ListOrganisations subtree, page 100 | $a_rps | $a_p50 | $a_p99 | ${r100[-1]}% |"$'\n'
  rows+="| $round | ListOrganisations subtree, page 1,000 | $b_rps | $b_p50 | $b_p99 | ${r1000[-1]}% |"$'\n'
  rows+="| $round | ListUncoveredPlaces, 1,000 places examined | $c_rps | $c_p50 | $c_p99 | ${rcov[-1]}% |"$'\n'
  rows+="| $round | FindMembers by phone (keyed hash + audit row) | $f_rps | $f_p50 | $f_p99 | ${rfind[-1]}% |"$'\n'
  bad=$((${bad:-0} + g_bad + a_bad + b_bad + c_bad + f_bad))
done
errors=$(curl -s "http://127.0.0.1:$(grep -o '"metrics_port":"[0-9]*"' "$work/orgs.log" | head -1 | grep -o '[0-9][0-9]*')/metrics" |
  grep '^grpc_server_handled_total' | grep -v 'grpc_code="OK"' | grep -v grpc.health |
  sed 's/.*grpc_code="\([A-Za-z]*\)".*grpc_method="\([A-Za-z]*\)".* \([0-9.e+]*\)$/\2 \1 \3/' |
  awk '{s = s (s == "" ? "" : ", ") $1 " " $2 " " $3} END {print (s == "" ? "none" : s)}')

cat > "$work/section.md" <<MD
## orgs at scale (issue 4)

Produced by \`tests/bench/orgs_scale.sh $seconds\` on $(date -u +%Y-%m-%d) ($(nproc) cores
shared by h2load, orgs and MariaDB). The district: $orgs_count organisations (1 district
committee, 10 street committees, 300 community committees, 9,900 grid branches,
19,800 building groups), 10,000 places, 5,000 members, loaded through the import
methods: areas $(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.1f", b - a}') s,
organisations $(awk -v a="$t1" -v b="$t2" 'BEGIN {printf "%.1f", b - a}') s,
places $(awk -v a="$t2" -v b="$t3" 'BEGIN {printf "%.1f", b - a}') s,
members $(awk -v a="$t3" -v b="$t4" 'BEGIN {printf "%.1f", b - a}') s (each one transaction).
h2load, 8 connections x 1 stream, ${seconds} s after 1 s warm-up, unary gRPC to orgs
directly, the reference (GetArea, answered from the area cache) in the same round.

| figure | median ratio to GetArea |
|---|---|
| ListOrganisations, the district's subtree, a page of 100 | $(median "${r100[@]}")% |
| ListOrganisations, the district's subtree, a page of 1,000 | $(median "${r1000[@]}")% |
| ListUncoveredPlaces over the district, 1,000 places examined a page | $(median "${rcov[@]}")% |
| FindMembers by phone (keyed hash, audit row written) | $(median "${rfind[@]}")% |

| round | call | req/s | p50 ms | p99 ms | ratio |
|---|---|---|---|---|---|
$rows
Non-200 HTTP answers: ${bad}. Non-OK gRPC statuses counted by orgs: $errors (at most 8
per timed run are calls h2load cut off at its end).
MD
/usr/bin/python3 tests/bench/splice_section.py orgs-scale "$work/section.md"
cat "$work/section.md"
