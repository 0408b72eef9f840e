/// One `key:value` tag on a sample.
public struct Tag: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let key: String
    public let value: String

    public init(_ key: String, _ value: String) {
        self.key = key
        self.value = value
    }

    public var description: String { "\(key):\(value)" }

    public static func < (lhs: Tag, rhs: Tag) -> Bool {
        lhs.key != rhs.key ? lhs.key < rhs.key : lhs.value < rhs.value
    }
}

/// The tags of a sample or the selector of a sub-metric, kept sorted by key so that equal sets
/// hash and print the same on every node whatever order the tags were given in.
///
/// A sample belongs to a sub-metric `name{k:v,…}` when its tags ``contains(_:)`` the
/// sub-metric's tags, as in the reference tool.
public struct TagSet: Sendable, Hashable, Comparable, CustomStringConvertible, Sequence {
    /// The tags, sorted by key, one per key.
    public private(set) var tags: [Tag]

    /// No tags.
    public init() { tags = [] }

    /// The given tags; for a key given twice, the last value wins.
    public init(_ tags: [Tag]) {
        var byKey: [String: String] = [:]
        for tag in tags { byKey[tag.key] = tag.value }
        self.tags = byKey.map { Tag($0.key, $0.value) }.sorted()
    }

    /// The given tags when no key repeats; otherwise nil and `repeatedKey` names one that
    /// does. For tags from a peer, where a repeat is an error rather than "last one wins"; a
    /// sort and no dictionary, as a relay builds tens of thousands of tag sets a second.
    public init?(distinctKeys tags: [Tag], repeatedKey: inout String?) {
        let sorted = tags.sorted()
        for index in sorted.indices.dropFirst() where sorted[index].key == sorted[index - 1].key {
            repeatedKey = sorted[index].key
            return nil
        }
        self.tags = sorted
    }

    /// The tags of a dictionary.
    public init(_ dictionary: [String: String]) {
        self.tags = dictionary.map { Tag($0.key, $0.value) }.sorted()
    }

    public static let empty = TagSet()

    public var isEmpty: Bool { tags.isEmpty }
    public var count: Int { tags.count }

    /// The value of `key`, if present.
    public subscript(key: String) -> String? {
        binarySearch(key).map { tags[$0].value }
    }

    /// A copy with `key` set to `value` (replacing any earlier value).
    public func setting(_ key: String, to value: String) -> TagSet {
        var copy = self
        if let index = binarySearch(key) {
            copy.tags[index] = Tag(key, value)
        } else {
            let insertAt = tags.firstIndex { $0.key > key } ?? tags.endIndex
            copy.tags.insert(Tag(key, value), at: insertAt)
        }
        return copy
    }

    /// Whether every tag of `other` is also in `self` with the same value (sub-metric
    /// matching). Every set contains the empty set.
    public func contains(_ other: TagSet) -> Bool {
        var mine = tags.startIndex
        for wanted in other.tags {
            while mine < tags.endIndex, tags[mine].key < wanted.key { mine += 1 }
            guard mine < tags.endIndex, tags[mine] == wanted else { return false }
            mine += 1
        }
        return true
    }

    public func makeIterator() -> IndexingIterator<[Tag]> { tags.makeIterator() }

    /// `{k:v,k2:v2}` in key order; `{}` when empty.
    public var description: String {
        "{" + tags.map(\.description).joined(separator: ",") + "}"
    }

    public static func < (lhs: TagSet, rhs: TagSet) -> Bool {
        lhs.tags.lexicographicallyPrecedes(rhs.tags)
    }

    private func binarySearch(_ key: String) -> Int? {
        var low = 0
        var high = tags.count
        while low < high {
            let mid = (low + high) / 2
            if tags[mid].key < key { low = mid + 1 } else { high = mid }
        }
        return low < tags.count && tags[low].key == key ? low : nil
    }
}

extension TagSet: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (String, String)...) {
        self.init(elements.map { Tag($0.0, $0.1) })
    }
}
