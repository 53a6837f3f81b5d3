#!/usr/bin/env bash
# Mutation testing of the money and the gates (`make mutation`, not in CI: it takes a while).
#
# mutmut changes one thing at a time in a module (an operator, a number, a name, a condition)
# and runs the tests that cover it; a change no test notices is a gap in the tests. The
# modules and their tests are listed below: the wallet, the settling of payouts and refunds,
# the ban money (held balances, refunds to card), the gates and call eligibility; add
# escalation as it lands. The score leaves out mutants that only change the words of a message
# (docs/testing.md, where the last figures are).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
export DATABASE_URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/marketplace}
export REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379/15}
# A fresh test database for every mutant: the tests that commit from threads empty the tables
# afterwards (data migrations' rows included), which a reused database would keep.
PYTEST="$BIN/pytest -x -q -p no:cacheprovider --create-db"

# module | the tests that exercise it
TARGETS=(
    "marketplace/services/wallet.py|tests/marketplace/test_wallet.py tests/marketplace/test_retries.py tests/marketplace/test_money_for_sanctions.py tests/marketplace/test_running_balances.py tests/marketplace/test_gates.py tests/marketplace/test_orders_and_earnings.py"
    "marketplace/services/settle.py|tests/marketplace/test_wallet.py tests/marketplace/test_retries.py tests/marketplace/test_money_for_sanctions.py"
    "marketplace/services/holds.py|tests/marketplace/test_money_for_sanctions.py tests/marketplace/test_running_balances.py"
    "marketplace/services/refunds.py|tests/marketplace/test_money_for_sanctions.py tests/marketplace/test_retries.py tests/marketplace/test_running_balances.py"
    "marketplace/permissions.py|tests/marketplace/test_gates.py tests/marketplace/test_order_states.py tests/marketplace/test_wallet.py tests/marketplace/test_money_for_sanctions.py tests/marketplace/test_orders_and_earnings.py"
    "calls/eligibility.py|tests/calls/test_eligibility.py tests/calls/test_calls.py tests/calls/test_call_pages.py"
)

mkdir -p var/mutation
for target in "${TARGETS[@]}"; do
    module=${target%%|*}
    tests=${target#*|}
    # `scripts/mutation.sh marketplace/services/holds.py …` runs only the modules named.
    if [ $# -gt 0 ] && [[ " $* " != *" $module "* ]]; then
        continue
    fi
    name=$(echo "$module" | tr '/.' '__')
    echo "== $module"
    rm -f .mutmut-cache
    $BIN/mutmut run --paths-to-mutate "$module" --runner "$PYTEST $tests" --no-progress || true
    $BIN/mutmut results > "var/mutation/$name.txt" || true
    $BIN/python scripts/mutation_report.py "$module" | tee "var/mutation/$name.summary"
done
