import ArgumentParser
import LoadTreeCore

/// `loadtree segments`: shows how a sequence shares VUs and iterations out, segment by segment.
struct SegmentsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "segments",
        abstract: "Show the striping, scaling and re-segmentation of execution segments.",
        discussion: """
            Each segment of a sequence owns a fixed pattern of global VU and iteration numbers in \
            every cycle of `lcd` elements: it owns `start`, then start+offsets[0], and so on, \
            using the offsets cyclically. `--value V` shows how many of V VUs or iterations the \
            segment gets; `--resegment V` shows the sequence that arrival-rate and \
            shared-iterations executors use when the test has V (max) VUs.

            Example: loadtree segments --sequence 0,1/3,2/3,1 --value 50 --resegment 20 --json
            """
    )

    @OptionGroup var segments: SegmentOptions

    @Option(name: .customLong("value"), help: ArgumentHelp("A VU or iteration count to scale (repeatable).", valueName: "count"))
    var values: [Int64] = []

    @Option(help: ArgumentHelp("Re-segment the sequence by this VU count.", valueName: "count"))
    var resegment: Int64?

    @Flag(help: "Print one JSON object instead of a table.")
    var json = false

    func run() throws {
        for value in values where value < 0 {
            throw fail("error: --value must be zero or more, found \(value)")
        }
        if let resegment, resegment < 1 {
            throw fail("error: --resegment must be 1 or more, found \(resegment)")
        }
        guard segments.segment != nil || segments.sequence != nil else {
            throw fail("error: give --sequence, --segment or both (see loadtree segments --help)")
        }
        let report = try SegmentsReport(options: segments, values: values, resegment: resegment)
        print(json ? report.json.serialized() : report.table)
    }
}
