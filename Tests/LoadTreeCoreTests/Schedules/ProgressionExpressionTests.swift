import Foundation
import Testing
@testable import LoadTreeCore

@Suite struct ProgressionExpressionTests {
    private func value(_ text: String, _ t: Double) throws -> Double {
        try ProgressionExpression(parsing: text).value(at: t)
    }

    @Test func precedenceAndFunctions() throws {
        // ^ binds tighter than unary minus and is right-associative.
        #expect(try value("r = -t^2 + 2*t", 0.5) == 0.75)
        #expect(try value("r = t^2^0.5 * 1", 0.25) == Foundation.pow(0.25, Foundation.pow(2, 0.5)))
        #expect(try value("r = (t + 1) / 2 - 3 * (1 - t)", 0.5) == 0.75 - 1.5)
        #expect(try value("r=max(t, 1 - t) - min(t, 0) + abs(t - 1)", 0.25) == 0.75 + 0.75)
        #expect(try value("r = sqrt(t) * exp(0) + log(e) - 1 + sin(pi/2*t) - sin(pi/2*t) + cos(0) - 1", 0.25) == 0.5)
        #expect(try value("r = pow(t, 3)", 0.5) == 0.125)
        #expect(try value("r = 1.5e-1 * t / 0.15", 0.4) == 0.4)
        #expect(try value("r = t", 1) == 1)
    }

    @Test func syntaxErrorsGiveTheColumn() {
        func column(_ text: String) -> Int? {
            do {
                _ = try ProgressionExpression(parsing: text)
                return nil
            } catch {
                return error.offset.map { $0 + 1 }
            }
        }
        #expect(column("r = t +") == 8)
        #expect(column("r = 2t") == 6)
        #expect(column("r = foo(t)") == 5)
        #expect(column("r = min(t)") == 5)
        #expect(column("t^2") == 1)
        #expect(column("r = (t") == 7)
        #expect(column("r = t # 2") == 7)
    }

    @Test func validationRejectsBadCurves() {
        #expect(throws: ProgressionError.doesNotEndAtTarget(value: 2)) { try ProgressionExpression(parsing: "r = 2*t") }
        #expect(throws: ProgressionError.notFinite(t: 0, value: -.infinity)) { try ProgressionExpression(parsing: "r = log(t) + 1") }
        // 1e-9 off at the end is allowed.
        #expect(throws: Never.self) { try ProgressionExpression(parsing: "r = t + 5e-10") }
    }

    /// The tabulated area agrees with the closed form, kinks included.
    @Test func tabulatedAreaIsAccurate() throws {
        let square = try ProgressionExpression(parsing: "r = t^2").curve
        #expect(abs(square.totalArea - 1.0 / 3) < 1e-12)
        for u in stride(from: 0.0, through: 1.0, by: 0.0123) {
            #expect(abs(square.area(upTo: u) - u * u * u / 3) < 1e-12)
        }
        let kink = try ProgressionExpression(parsing: "r = min(1, 3*t)").curve
        #expect(abs(kink.totalArea - (1 - 1.0 / 6)) < 1e-12)
        let sine = try ProgressionExpression(parsing: "r = sin(pi/2*t)").curve
        #expect(abs(sine.area(upTo: 0.7) - Easing.easeOutSine.area(upTo: 0.7)) < 1e-12)
    }

    /// A curve that oscillates too fast to tabulate to 1e-13 still loads, with a bounded table.
    @Test func fastOscillationHasABoundedTable() throws {
        let curve = try ProgressionExpression(parsing: "r = t + 0.001*sin(1e6*pi*t)").curve
        #expect(curve.nodes.count <= ExpressionCurve.nodeLimit + 1)
        #expect(abs(curve.totalArea - 0.5) < 1e-6)
    }

    /// Each named curve: r(0) = 0, r(1) = 1, its area matches quadrature and its inverse
    /// finds the first crossing.
    @Test func namedEasingsAreConsistent() throws {
        for easing in Easing.allCases {
            #expect(easing.value(at: 0) == 0, "\(easing)")
            #expect(abs(easing.value(at: 1) - 1) < 1e-15, "\(easing)")
            var sum = 0.0
            let n = 20_000
            for i in 0..<n { sum += easing.value(at: (Double(i) + 0.5) / Double(n)) / Double(n) }
            #expect(abs(easing.area(upTo: 1) - sum) < 1e-6, "\(easing)")
            for f in stride(from: 0.05, through: 0.951, by: 0.05) {
                let t = easing.firstReach(f)
                #expect(easing.value(at: min(1, t + 1e-9)) >= f - 1e-12, "\(easing) \(f)")
                #expect(t == 0 || easing.value(at: t - 1e-6) < f, "\(easing) \(f)")
            }
        }
    }
}
