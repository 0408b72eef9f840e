// LoadTree core benchmarks: absolute figures plus ratios against peers measured in the same run.
// Run with `make bench` (release build, pinned to one core when `taskset` is available).
let only = CommandLine.arguments.dropFirst().first
if only == nil || only == "schedules" { scheduleBench() }
