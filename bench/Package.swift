// swift-tools-version: 6.1
// Benchmarks live in their own package so that `make test` never builds them.
import PackageDescription

let package = Package(
    name: "LoadTreeBench",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "LoadTree", path: ".."),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
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
    ],
    swiftLanguageModes: [.v6]
)
