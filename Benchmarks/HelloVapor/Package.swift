// swift-tools-version:6.0
import PackageDescription

// A bare Vapor 4 server that answers "ok": the ceiling of the stack Cocrea stands on, built from
// source in release and measured beside Cocrea's own `GET /healthz` in the same run
// (`Benchmarks/ceiling.py`, run by `scripts/bench`). The same Vapor as Cocrea's Package.swift.
let package = Package(
    name: "hello-vapor",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(url: "https://github.com/vapor/vapor.git", from: "4.122.3")
    ],
    targets: [
        .executableTarget(name: "HelloVapor", dependencies: [.product(name: "Vapor", package: "vapor")])
    ]
)
