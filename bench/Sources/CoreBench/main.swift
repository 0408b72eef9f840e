// LoadTree core benchmarks: absolute figures plus ratios against peers measured in the same run.
// Run with `make bench` (release build, pinned to one core when `taskset` is available);
// `bash bench/run histograms` runs one group (schedules, histograms, recording); `contention`
// (threads recording at once, so not pinned) runs only when asked for.
let only = CommandLine.arguments.dropFirst().first
if only == nil || only == "schedules" { scheduleBench() }
if only == nil || only == "histograms" { histogramBench() }
if only == nil || only == "recording" { recordingBench() }
if only == "contention" { recordingContentionBench() }
