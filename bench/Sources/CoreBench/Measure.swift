import Foundation

/// Runs `body` a few times and keeps the best throughput: the machine is shared and noisy, so
/// the fastest run is the one least disturbed.
func measure(_ label: String, operations: Int, repeats: Int = 5, _ body: () -> Int) -> Double {
    var best = 0.0
    var sink = 0
    for _ in 0..<repeats {
        let clock = ContinuousClock()
        let start = clock.now
        sink &+= body()
        let elapsed = clock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        best = max(best, Double(operations) / seconds)
    }
    // Printing the accumulated result keeps the optimiser from removing the work.
    print("  \(pad(label)) \(String(format: "%14.0f", best)) /s   (check \(sink & 0xff))")
    return best
}

func ratio(_ label: String, _ a: Double, _ b: Double) {
    print("  \(pad(label)) \(String(format: "%14.2f", a / b)) x")
}

private func pad(_ label: String) -> String {
    label.count >= 52 ? label : label + String(repeating: " ", count: 52 - label.count)
}
