import Testing
import LoadTreeCore

@Suite struct DurationTextTests {
    @Test(arguments: [
        ("1m30s", Duration.seconds(90)),
        ("500ms", .milliseconds(500)),
        ("1.5s", .milliseconds(1500)),
        ("2h", .seconds(7200)),
        ("1d", .seconds(86_400)),
        ("250", .milliseconds(250)),
        ("1h2m3s4ms", .milliseconds(3_723_004)),
        ("10us", .microseconds(10)),
        ("0", .zero),
    ])
    func parses(text: String, expected: Duration) throws {
        #expect(try DurationText.parse(text) == expected)
    }

    @Test(arguments: ["", "abc", "-5s", "5x", "s", "1.2.3s"])
    func rejects(text: String) {
        #expect(throws: DurationTextError.self) { try DurationText.parse(text) }
    }

    @Test(arguments: [
        (Duration.seconds(90), "1m30s"),
        (.seconds(600), "10m0s"),
        (.seconds(30), "30s"),
        (.milliseconds(500), "500ms"),
        (.milliseconds(1500), "1.5s"),
        (.seconds(3600), "1h0m0s"),
        (.zero, "0s"),
        (.microseconds(1500), "1.5ms"),
        (.nanoseconds(7), "7ns"),
    ])
    func formatsLikeTheReference(duration: Duration, expected: String) {
        #expect(DurationText.format(duration) == expected)
    }

    @Test func formatThenParseRoundTrips() throws {
        for ms in [1, 999, 1_000, 59_999, 61_001, 3_600_000, 86_399_999] {
            let d = Duration.milliseconds(ms)
            #expect(try DurationText.parse(DurationText.format(d)) == d)
        }
    }
}
