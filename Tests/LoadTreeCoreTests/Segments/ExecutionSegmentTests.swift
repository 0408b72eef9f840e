import Testing
@testable import LoadTreeCore

@Suite struct ExecutionSegmentTests {
    @Test(arguments: [
        ("0:1/3", "0:1/3"), ("1/3:2/3", "1/3:2/3"), ("25%", "0:1/4"), ("0.5:1", "1/2:1"),
        ("2/4:75%", "1/2:3/4"), ("20%", "0:1/5"), ("0.2", "0:1/5"), ("1/5", "0:1/5"), ("", "0:1"),
        ("1", "0:1"), ("0:1", "0:1"), ("1e-1:2.5E-1", "1/10:1/4"), (" 10% : 0.3 ", "1/10:3/10"),
    ])
    func parsesAndPrintsReducedFractions(text: String, expected: String) throws {
        let segment = try ExecutionSegment(parsing: text)
        #expect(segment.description == expected)
        #expect(try ExecutionSegment(parsing: segment.description) == segment)
    }

    @Test(arguments: ["12.5%", "55%:50%", "125%", "1/2:1/2", "abc", "1/0", "-1/2:1", "0:1:2", "x%", "1/3:"])
    func rejectsInvalidSegmentsNamingThem(text: String) {
        #expect {
            try ExecutionSegment(parsing: text)
        } throws: { error in
            "\(error)".contains("\"\(text)\"")
        }
    }

    @Test func percentErrorSaysWhatToDo() {
        #expect(throws: SegmentError.invalidPercent(value: "12.5%", segment: "12.5%")) {
            try ExecutionSegment(parsing: "12.5%")
        }
    }

    @Test func splitsIntoEqualParts() throws {
        let parts = try ExecutionSegment(parsing: "1/4:1/2").split(into: 3)
        #expect(parts.map(\.description) == ["1/4:1/3", "1/3:5/12", "5/12:1/2"])
        #expect(throws: SegmentError.self) { try ExecutionSegment.full.split(into: 0) }
    }

    @Test func splitsByWeight() throws {
        let parts = try ExecutionSegment(parsing: "0:3/5").split(weights: [1, 2])
        #expect(parts.map(\.description) == ["0:1/5", "1/5:3/5"])
    }

    @Test func subSegmentOfAParent() throws {
        let parent = try ExecutionSegment(parsing: "1/2:1")
        #expect(try parent.subSegment(ExecutionSegment(parsing: "0:1/2")).description == "1/2:3/4")
        #expect(try ExecutionSegment(parsing: "1/3:2/3").subSegment(ExecutionSegment(parsing: "1/2:1")).description == "1/2:2/3")
    }

    @Test func legacyScaleIsNotMonotone() throws {
        let segment = try ExecutionSegment(parsing: "0.25:0.5")
        #expect(segment.legacyScale(2) == 0)
        #expect(segment.legacyScale(3) == 1)
    }
}
