// The tree's fan-in cost: what one relay's merge and the root's merge cost per second of test
// time as children are added, and how long a barrier takes across three levels.
// Run with `bash bench/run fanin [merge|root|barrier]` (release build).
let arguments = CommandLine.arguments.dropFirst()
let only = arguments.first
let seconds = 3
// `merge 1000` measures one relay with 1,000 children only (for profiling).
let counts = arguments.dropFirst().compactMap { Int($0) }
if only == nil || only == "merge" { await relayMergeBench(children: counts.isEmpty ? [10, 100, 1_000] : counts, seconds: seconds) }
if only == nil || only == "root" {
    await rootBench(
        shapes: [(0, 100), (0, 1_000), (10, 10), (10, 100), (10, 1_000), (1, 1_000), (100, 10)], seconds: seconds)
}
if only == nil || only == "barrier" {
    print("fan-in: barrier round trip over gRPC's in-process transport (last arrival → last release)")
    await barrierBench(relays: 0, agentsPerRelay: 8, rounds: 300)
    await barrierBench(relays: 2, agentsPerRelay: 4, rounds: 300)
    await barrierBench(relays: 0, agentsPerRelay: 100, rounds: 100)
    await barrierBench(relays: 10, agentsPerRelay: 10, rounds: 100)
}
if only == "profile" { await relayProfileLoop(children: counts.first ?? 1_000, rounds: 20) }
