# bench/lib.sh - what the bench scripts share, sourced by each: the paths,
# the messages, the check that a tool is there, the Release build, quoting
# for hyperfine -N, and the machine line of a report. The caller sets
# $results (the Markdown report) before calling out().
# shellcheck shell=bash disable=SC2034 # the variables are for the sourcing script

bench=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$bench")
build=$root/build-bench
scratch=${TMPDIR:-/tmp}/ecoreport-bench
er=$build/ecoreport
py=/usr/bin/python3 # Debian's python3, which has python3-pandas and python3-matplotlib

say() { echo "bench: $*" >&2; }
# An awk function for the round-by-round reports (run.sh, chart.sh):
# median(LIST), LIST numbers separated by spaces.
AWK_MEDIAN='
function median(list,    n, a, i, j, t) {
	n = split(list, a, " ")
	for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j - 1] + 0 > a[j] + 0; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
	return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}'
die() { say "$*"; exit 69; }
out() { # out LINE...: to stdout and to the report, $results
	printf '%s\n' "$@" | tee -a "${results:?}"
}

# bench_install PKG...: installs the Debian packages that are missing, like
# everything else the project needs (scripts/setup.sh).
bench_install() {
	# shellcheck source-path=SCRIPTDIR source=../scripts/setup.sh
	. "$root/scripts/setup.sh"
	er_install_missing "$@"
	[[ -x /usr/bin/time ]] || die "/usr/bin/time is missing (apt-get install time)"
}
need_cmd() { # need_cmd CMD PACKAGE
	command -v "$1" >/dev/null || die "$1 is missing (apt-get install $2)"
}
need_py() { # need_py MODULE: a module of Debian's python3-MODULE
	"$py" -c "import $1" 2>/dev/null || die "$1 is missing for $py (apt-get install python3-$1)"
}
py_version() { # py_version MODULE: "MODULE X.Y (Python Z)"
	echo "$1 $("$py" -c "import $1; print($1.__version__)") (Python $("$py" -c 'import platform; print(platform.python_version())'))"
}
deb_version() { # deb_version PACKAGE: its installed version, or "?"
	dpkg-query -W -f '${Version}' "$1" 2>/dev/null || echo '?'
}
bench_build() { # bench_build TARGET...: a Release build of those targets into $build
	say "building into $build"
	cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release >&2
	cmake --build "$build" --target "$@" >&2
}
runs_option() { # runs_option DEFAULT SCRIPT ARGS...: sets $runs from the one option
	# of the scripts that take only --runs N (exit 64 on anything else)
	local script=$2
	runs=$1
	shift 2
	while (($#)); do
		if [[ $1 == --runs && ${2-} =~ ^[1-9][0-9]*$ ]]; then
			runs=$2
			shift 2
		else
			echo "usage: bench/$script [--runs N]" >&2
			exit 64
		fi
	done
}
quote() { # quote ARGS...: one line that the shell (and hyperfine -N) splits back
	local a s=""
	for a; do
		[[ $a =~ ^[A-Za-z0-9_./=,:+@%-]+$ ]] || a=${a@Q}
		s+="$a "
	done
	echo "${s% }"
}
machine() { # machine: "N CPUs, model, RAM, kernel" for the report's header
	local cpu mem
	cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
	mem=$(awk '/^MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)
	echo "$(nproc) CPUs, $cpu, $mem RAM, Linux $(uname -r)"
}
tool_versions() { # tool_versions: the versions every report lists last
	echo "$(hyperfine --version), $(gcc -dumpfullversion 2>/dev/null | sed 's/^/gcc /')"
}
