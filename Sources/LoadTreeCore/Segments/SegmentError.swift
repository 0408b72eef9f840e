/// Why a segment, a sequence or a tuple could not be built. Every case names the input.
public enum SegmentError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalidNumber(value: String, segment: String)
    case invalidPercent(value: String, segment: String)
    case outOfOrder(segment: String)
    case tooFewPoints(sequence: String)
    case invalidSequencePoint(value: String, sequence: String)
    case sequenceNotIncreasing(sequence: String)
    case notInSequence(segment: String, sequence: String)
    case invalidSplit(count: Int)
    case overflow(context: String)
    case stripeTooFine(lcd: Int128, limit: Int64)
    case invalidResegmentValue(Int64)
    case droppedByResegmentation(segment: String, value: Int64)

    public var description: String {
        switch self {
        case .invalidNumber(let value, let segment):
            "\"\(value)\" in segment \"\(segment)\" is not a number (expected a fraction like 1/3, a decimal like 0.25, or a percentage like 25%)"
        case .invalidPercent(let value, let segment):
            "\"\(value)\" in segment \"\(segment)\" is not a whole percentage (use an integer like 25%, or a fraction like 1/8 for 12.5%)"
        case .outOfOrder(let segment):
            "segment \"\(segment)\" must satisfy 0 <= from < to <= 1"
        case .tooFewPoints(let sequence):
            "sequence \"\(sequence)\" needs at least two points, like 0,1/2,1"
        case .invalidSequencePoint(let value, let sequence):
            "\"\(value)\" in sequence \"\(sequence)\" is not a number in [0, 1] (expected a fraction, a decimal or a percentage)"
        case .sequenceNotIncreasing(let sequence):
            "the points of sequence \"\(sequence)\" must increase strictly within [0, 1]"
        case .notInSequence(let segment, let sequence):
            "segment \(segment) is not one of the segments of sequence \(sequence)"
        case .invalidSplit(let count):
            "a segment can only be split into 1 or more parts with positive weights (got \(count))"
        case .overflow(let context):
            "exact arithmetic overflowed while \(context); use simpler fractions"
        case .stripeTooFine(let lcd, let limit):
            "the sequence's segments need a cycle of \(lcd) elements to stripe exactly, more than the supported \(limit); use fractions with smaller denominators"
        case .invalidResegmentValue(let value):
            "cannot re-segment by \(value): the value must be at least 1"
        case .droppedByResegmentation(let segment, let value):
            "segment \(segment) receives none of \(value) and therefore has no work"
        }
    }
}
