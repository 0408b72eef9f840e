import Foundation
import Testing

@Suite struct SegmentsCommandTests {
    @Test func oneSegmentOfASequenceAsJSON() throws {
        let result = try LoadTreeProcess.run([
            "segments", "--sequence", "0,1/3,2/3,1", "--segment", "1/3:2/3",
            "--value", "50", "--value", "1", "--resegment", "20", "--json",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try result.jsonObject()
        #expect(object["sequence"] as? [String] == ["0:1/3", "1/3:2/3", "2/3:1"])
        #expect(object["lcd"] as? Int == 3)
        #expect(object["segment"] as? String == "1/3:2/3")
        #expect(object["index"] as? Int == 1)
        #expect(object["start"] as? Int == 1)
        #expect(object["offsets"] as? [Int] == [3])
        #expect(object["scaled"] as? [String: Int] == ["50": 17, "1": 0])
        #expect(object["resegmented"] as? [String] == ["0:7/20", "7/20:7/10", "7/10:1"])
        #expect(object["resegmented_segment"] as? String == "7/20:7/10")
    }

    @Test func wholeSequenceListsEverySegment() throws {
        let result = try LoadTreeProcess.run([
            "segments", "--sequence", "0,0.3,0.5,0.6,0.7,0.8,0.9,1", "--value", "10", "--json",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try result.jsonObject()
        #expect(object["lcd"] as? Int == 10)
        let segments = try #require(object["segments"] as? [[String: Any]])
        #expect(segments.count == 7)
        #expect(segments[0]["segment"] as? String == "0:3/10")
        #expect(segments[0]["start"] as? Int == 0)
        #expect(segments[0]["offsets"] as? [Int] == [4, 3, 3])
        #expect(segments[2]["segment"] as? String == "1/2:3/5")
        #expect(segments[2]["start"] as? Int == 2)
        #expect(segments[2]["offsets"] as? [Int] == [10])
        let shares = segments.compactMap { ($0["scaled"] as? [String: Int])?["10"] }
        #expect(shares.reduce(0, +) == 10)
    }

    @Test func aLoneSegmentIsFilledNotSplitEvenly() throws {
        let result = try LoadTreeProcess.run(["segments", "--segment", "0:1/3", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try result.jsonObject()
        #expect(object["sequence"] as? [String] == ["0:1/3", "1/3:1"])
    }

    @Test func badSegmentIsAConfigErrorNamingTheInput() throws {
        let result = try LoadTreeProcess.run(["segments", "--segment", "12.5%", "--json"])
        #expect(result.status == 104)
        #expect(result.stderr.contains("12.5%"))
        #expect(result.stdout.isEmpty)
    }

    @Test func readableTableWithoutJSON() throws {
        let result = try LoadTreeProcess.run(["segments", "--sequence", "0,1/2,3/4,1", "--value", "4"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("lcd: 4"))
        #expect(result.stdout.contains("1/2:3/4"))
    }
}
