#!/usr/bin/env bash
# Nightly load test plus regression gate: one Gatling run, gated against a stored baseline.
# The GitHub workflow (.github/workflows/nightly.yml) and .ci/run both call this script, so the
# nightly path is the tested path.
#
# Configuration, by flag or environment variable (flags win):
#   --target URL          TARGET_URL       endpoint base URL; empty = the embedded emulator
#   --api-key-env NAME    API_KEY_ENV      name of the environment variable holding the API key
#                                          (the key itself is never passed on a command line)
#   --simulation FQCN     SIMULATION       default io.llmload.simulations.ArrivalRate (the open model:
#                                          with -Darrival=poisson, added unless given, both runs send
#                                          the same seeded schedule; docs/gate.md says why not a closed loop;
#                                          io.llmload.simulations.CapacitySearch gates the capacity by its
#                                          bracket, e.g. -- -Dslo.tpot=200ms -Dmax=128: docs/capacity.md)
#   --protocol P          PROTOCOL         e.g. openai-chat
#   --model M             MODEL
#   --baseline PATH       BASELINE         run folder or summary.json to gate against; empty = no gate
#   --update-baseline P   UPDATE_BASELINE  the baseline store (.json file or folder): written by the first
#                                          run; later runs are gated against it (unless --baseline names
#                                          another) and replace it only when they pass; its history/ keeps
#                                          the last passed runs, whose spread the gate judges changes by
#   --confirm / --no-confirm  CONFIRM=1|0  (default: confirm) when the gate says regressed, run the same
#                                          configuration once more, gated against the same baseline and
#                                          history (-DconfirmRun=FIRST_RUN); the verdict is regressed only
#                                          when the same metric of the same phase regressed in both runs
#                                          (docs/gate.md: a single run's false alarms are ~20 % for a closed
#                                          loop); the confirmation run's verdict.md/verdict.json say both run
#                                          folders, the rule and the reason, and it is the run folder printed
#   -- ARGS...            EXTRA_ARGS       more -D properties for mvn (e.g. -Dusers=8 -Demulator.jitter=0.05)
#
# Exit status: Maven's, which is non-zero when the gate found a regression (1 from the gate),
# bad input (2) or an inconclusive verdict without -Dgate.allowInconclusive=true (3); verdict.json
# in the run folder says which. The run folder's path is printed on the last line, written to
# gatling-reports/NIGHTLY_RUN and, under GitHub Actions, to the step output "run_folder";
# verdict.md is appended to the job summary.
set -euo pipefail

cd "$(dirname "$0")/.."

target="${TARGET_URL:-}"
api_key_env="${API_KEY_ENV:-}"
simulation="${SIMULATION:-io.llmload.simulations.ArrivalRate}"
protocol="${PROTOCOL:-}"
model="${MODEL:-}"
baseline="${BASELINE:-}"
update_baseline="${UPDATE_BASELINE:-}"
confirm="${CONFIRM:-1}"
# shellcheck disable=SC2206 # EXTRA_ARGS is a plain list of -D options, split on spaces on purpose
extra=(${EXTRA_ARGS:-})

usage() { awk 'NR > 1 && !/^#/ { exit } NR > 1' "$0" | sed 's/^# \{0,1\}//'; }
need() { [[ $# -ge 2 && -n "$2" ]] || { echo "nightly.sh: $1 needs a value" >&2; exit 2; }; }

while [[ $# -gt 0 ]]; do
  case "$1" in
    --target) need "$@"; target="$2"; shift 2 ;;
    --api-key-env) need "$@"; api_key_env="$2"; shift 2 ;;
    --simulation) need "$@"; simulation="$2"; shift 2 ;;
    --protocol) need "$@"; protocol="$2"; shift 2 ;;
    --model) need "$@"; model="$2"; shift 2 ;;
    --baseline) need "$@"; baseline="$2"; shift 2 ;;
    --update-baseline) need "$@"; update_baseline="$2"; shift 2 ;;
    --confirm) confirm=1; shift ;;
    --no-confirm) confirm=0; shift ;;
    --help|-h) usage; exit 0 ;;
    --) shift; extra+=("$@"); break ;;
    *) echo "nightly.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done

if [[ "$confirm" != 0 && "$confirm" != 1 ]]; then
  echo "nightly.sh: CONFIRM must be 1 or 0, got '$confirm'" >&2
  exit 2
fi
if [[ -n "$baseline" && ! -e "$baseline" ]]; then
  echo "nightly.sh: baseline '$baseline' does not exist (a run folder or summary.json; create one with --update-baseline)" >&2
  exit 2
fi
if [[ -n "$api_key_env" ]]; then
  if [[ ! "$api_key_env" =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]]; then
    echo "nightly.sh: --api-key-env must name an environment variable, got '$api_key_env'" >&2
    exit 2
  fi
  if [[ -z "${!api_key_env:-}" ]]; then
    echo "nightly.sh: environment variable $api_key_env (the API key) is empty or unset" >&2
    exit 2
  fi
fi

args=(-B gatling:test "-Dgatling.simulationClass=$simulation")
[[ -n "$target" ]] && args+=("-Dtarget=$target")
[[ -n "$api_key_env" ]] && args+=("-DapiKeyEnv=$api_key_env")
[[ -n "$protocol" ]] && args+=("-Dprotocol=$protocol")
[[ -n "$model" ]] && args+=("-Dmodel=$model")
[[ -n "$baseline" ]] && args+=("-Dbaseline=$(realpath "$baseline")")
[[ -n "$update_baseline" ]] && args+=("-DupdateBaseline=$(realpath -m "$update_baseline")")
args+=("${extra[@]}")
# the open model's arrivals default to evenly spaced; a seeded Poisson schedule is what docs/gate.md advises
effective="$simulation"
for a in "${extra[@]}"; do
  [[ "$a" == -Dgatling.simulationClass=* ]] && effective="${a#-Dgatling.simulationClass=}"
done
if [[ "$effective" == *.ArrivalRate ]] && ! printf '%s\n' "${extra[@]}" | grep -q '^-Darrival='; then
  args+=("-Darrival=poisson")
fi

mkdir -p gatling-reports
marker="$(mktemp)"
trap 'rm -f "$marker"' EXIT

# one Maven run; sets status and run_folder (the newest folder it created: Gatling names it, no API tells it)
run_once() {
  touch "$marker"
  echo "nightly.sh: mvn ${args[*]} $*"
  set +e
  mvn "${args[@]}" "$@"
  status=$?
  set -e
  run_folder="$(find gatling-reports -mindepth 1 -maxdepth 1 -type d -newer "$marker" -printf '%T@ %p\n' \
    | sort -n | tail -n 1 | cut -d' ' -f2-)"
  if [[ -z "$run_folder" ]]; then
    echo "nightly.sh: no run folder was created under gatling-reports/ (mvn exit status $status)" >&2
    exit $(( status == 0 ? 2 : status ))
  fi
}
verdict_of() {
  if [[ -f "$1/verdict.json" ]]; then
    sed -n 's/^  "verdict" : "\([a-z]*\)".*/\1/p' "$1/verdict.json" | head -n 1
  fi
}

first=""
run_once
if [[ "$confirm" == 1 && "$(verdict_of "$run_folder")" == regressed ]]; then
  first="$run_folder"
  echo "nightly.sh: the gate says regressed ($first): confirming with a second run against the same baseline"
  run_once "-DconfirmRun=$(realpath "$first")"
  echo "nightly.sh: first run $first, confirmation run $run_folder"
fi
echo "$run_folder" > gatling-reports/NIGHTLY_RUN

if [[ -n "${GITHUB_STEP_SUMMARY:-}" ]]; then
  if [[ -f "$run_folder/verdict.md" ]]; then
    cat "$run_folder/verdict.md" >> "$GITHUB_STEP_SUMMARY"
  elif [[ -f "$run_folder/report.md" ]]; then
    cat "$run_folder/report.md" >> "$GITHUB_STEP_SUMMARY"
  fi
fi
if [[ -n "${GITHUB_OUTPUT:-}" ]]; then
  echo "run_folder=$run_folder" >> "$GITHUB_OUTPUT"
  # the regressed run that the confirmation run judged, when there was one
  if [[ -n "$first" ]]; then
    echo "first_run_folder=$first" >> "$GITHUB_OUTPUT"
  fi
fi

if [[ -f "$run_folder/verdict.json" ]]; then
  verdict="$(verdict_of "$run_folder")"
  echo "nightly.sh: gate verdict: ${verdict:-unknown}"
fi
echo "nightly.sh: mvn exit status $status"
echo "$run_folder"
exit "$status"
