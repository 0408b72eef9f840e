import Synchronization

/// Counters the embedded target keeps, readable from any thread.
///
/// Tests use `acceptedConnections` to prove keep-alive reuse; `/orders` numbers orders from
/// `orders`. Atomics rather than a lock: connections on different event loops update them.
final class TargetStats: Sendable {
    let acceptedConnections = Atomic<Int>(0)
    let requests = Atomic<Int>(0)
    let orders = Atomic<Int>(0)
    let isShutDown = Atomic<Bool>(false)
}
