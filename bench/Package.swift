// swift-tools-version: 6.1
// Benchmarks live in their own package so that `make test` never builds them.
import PackageDescription

let package = Package(
    name: "LoadTreeBench",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "LoadTree", path: ".."),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
        .package(url: "https://github.com/grpc/grpc-swift-2", from: "2.4.3"),
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
    ],
    targets: [
        .executableTarget(
            name: "core-bench",
            dependencies: [
                .product(name: "LoadTreeCore", package: "LoadTree"),
                .product(name: "LoadTreeEngine", package: "LoadTree"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
            ],
            path: "Sources/CoreBench"
        ),
        // The tree's fan-in: relay and root CPU per second of test time, barrier round trips.
        .executableTarget(
            name: "fanin-bench",
            dependencies: [
                .product(name: "LoadTreeCore", package: "LoadTree"),
                .product(name: "LoadTreeNode", package: "LoadTree"),
                .product(name: "LoadTreeWire", package: "LoadTree"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCInProcessTransport", package: "grpc-swift-2"),
            ],
            path: "Sources/FaninBench"
        ),
    ],
    swiftLanguageModes: [.v6]
)
