import LoadTreeCore
import Synchronization

/// Hands out VU ids and iteration ids from a segmented index, so that every node numbers its
/// VUs and iterations the way the whole test would (k6-reference §1.6).
final class IdentityAllocator: Sendable {
    private let index: Mutex<SegmentedIndex>

    init(stripe: Stripe) {
        index = Mutex(stripe.makeIndex())
    }

    /// The next owned element: (local, global), both 1-based.
    func next() -> (local: Int64, global: Int64) {
        index.withLock { index in
            let (scaled, unscaled) = index.next()
            return (scaled, unscaled)
        }
    }
}
