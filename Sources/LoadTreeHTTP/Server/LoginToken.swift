/// Stateless bearer tokens for the target's `/login`, `/cart` and `/orders` routes.
///
/// A token is `lt.<hex user>.<hex keyed hash>`: the server can check it without storing
/// anything (no lock shared by connections), and a client cannot forge one without the
/// server's random key. It is a demo credential, not a security mechanism.
struct LoginToken: Sendable {
    let key: UInt64

    init(key: UInt64 = UInt64.random(in: 1...UInt64.max)) {
        self.key = key
    }

    func issue(for user: String) -> String {
        "lt.\(Self.hex(Array(user.utf8))).\(String(signature(Array(user.utf8)), radix: 16))"
    }

    /// Whether `token` was issued by this server.
    func isValid(_ token: String) -> Bool {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "lt", let user = Self.unhex(parts[1]),
              let claimed = UInt64(parts[2], radix: 16)
        else { return false }
        return claimed == signature(user)
    }

    /// FNV-1a over the key and the user bytes.
    private func signature(_ user: [UInt8]) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for shift in stride(from: 0, to: 64, by: 8) {
            hash = (hash ^ ((key >> UInt64(shift)) & 0xFF)) &* 0x0000_0100_0000_01B3
        }
        for byte in user {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        }
        return hash
    }

    private static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func unhex(_ text: Substring) -> [UInt8]? {
        let chars = Array(text.utf8)
        guard chars.count % 2 == 0 else { return nil }
        var out: [UInt8] = []
        var index = 0
        while index < chars.count {
            guard let high = UInt8(String(decoding: chars[index...index + 1], as: UTF8.self), radix: 16) else {
                return nil
            }
            out.append(high)
            index += 2
        }
        return out
    }
}
