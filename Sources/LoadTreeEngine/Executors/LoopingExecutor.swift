import Synchronization

/// Runs a fixed set of VUs that loop over iterations: `constant-vus`, `per-vu-iterations` and
/// `shared-iterations` differ only in when a VU may start another iteration.
///
/// VUs start together at the scenario's start. After `regularEnd` no new iteration starts;
/// iterations still running at `hardEnd` (`regularEnd` + `gracefulStop`) are cancelled.
enum LoopingExecutor {
    /// Decides, before each iteration of a VU, whether it may start one.
    enum Budget: Sendable {
        /// Until the regular end.
        case untilEnd
        /// This many iterations per VU.
        case perVU(Int64)
        /// This many iterations in total, taken by whichever VU is free.
        case shared(SharedCounter)
    }

    static func run<W: Workload>(_ context: ScenarioContext<W>, vus: Int64, budget: Budget, regularEnd: Int64, hardEnd: Int64) async {
        guard vus > 0 else { return }
        await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<vus {
                group.addTask(executorPreference: context.workload.vuExecutor()) {
                    await loop(context, budget: budget, regularEnd: regularEnd)
                    return true
                }
            }
            await group.finishVUs(vus, clock: context.clock, hardEnd: hardEnd)
        }
    }

    private static func loop<W: Workload>(_ context: ScenarioContext<W>, budget: Budget, regularEnd: Int64) async {
        var (identity, state) = await context.makeVU()
        context.progress.vuActivated()
        defer {
            context.progress.vuDeactivated()
        }
        await context.workload.live(&state) { state in
            var done: Int64 = 0
            // The clock read that admits an iteration is also its start.
            while !Task.isCancelled, case let now = context.clock.now(), now < regularEnd {
                switch budget {
                case .untilEnd:
                    break
                case .perVU(let limit):
                    guard done < limit else { return }
                case .shared(let counter):
                    guard counter.take() else { return }
                }
                done += 1
                guard await context.iterate(&state, vu: identity, began: now) else { return }
            }
        }
    }
}

/// The iterations of a `shared-iterations` scenario still to hand out.
final class SharedCounter: Sendable {
    private let remaining: Atomic<Int64>

    init(_ total: Int64) {
        remaining = Atomic(total)
    }

    /// Takes one iteration; false when none is left.
    func take() -> Bool {
        var current = remaining.load(ordering: .relaxed)
        while current > 0 {
            let (exchanged, original) = remaining.compareExchange(expected: current, desired: current - 1, ordering: .relaxed)
            if exchanged { return true }
            current = original
        }
        return false
    }
}
