extension TaskGroup<Bool> {
    /// Waits for the `vus` VU tasks of the group (children that return `true`), and cancels
    /// those still running at `hardEnd`, the end of the graceful stop. Returns as soon as every
    /// VU is done: a scenario never sits out its graceful stop for nothing.
    mutating func finishVUs(_ vus: Int64, clock: RunClock, hardEnd: Int64) async {
        // The hard deadline, a child that returns `false`.
        addTask {
            try? await clock.sleep(until: hardEnd)
            return false
        }
        var remaining = vus
        if remaining == 0 { cancelAll() }
        for await isVU in self {
            if isVU {
                remaining -= 1
                if remaining == 0 { cancelAll() }
            } else {
                cancelAll()
            }
        }
    }
}
