import Foundation

/// Draws a ``ScheduleChart`` as a standalone SVG file: one panel per scenario, one line per
/// series, axes with round ticks, a legend. Plain text, so it needs no library and renders in
/// any browser and on GitHub.
struct SVGChart {
    let chart: ScheduleChart
    let width = 860.0
    let panelHeight = 260.0
    let margin = (left: 64.0, right: 180.0, top: 48.0, bottom: 40.0)

    static let palette = ["#1f2937", "#2563eb", "#dc2626", "#059669", "#d97706", "#7c3aed", "#db2777", "#0891b2"]

    var svg: String {
        let height = panelHeight * Double(max(1, chart.panels.count))
        var out = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" \
            viewBox="0 0 \(Int(width)) \(Int(height))" font-family="sans-serif" font-size="12">
            <rect width="100%" height="100%" fill="white"/>

            """
        for (index, panel) in chart.panels.enumerated() {
            out += draw(panel, top: Double(index) * panelHeight)
        }
        return out + "</svg>\n"
    }

    private func draw(_ panel: ScheduleChart.Panel, top: Double) -> String {
        let plotWidth = width - margin.left - margin.right
        let plotHeight = panelHeight - margin.top - margin.bottom
        let maxX = panel.series.flatMap { $0.points.map(\.0) }.max() ?? 1
        let maxY = niceCeiling(panel.series.flatMap { $0.points.map(\.1) }.max() ?? 1)
        func x(_ v: Double) -> Double { margin.left + (maxX > 0 ? v / maxX : 0) * plotWidth }
        func y(_ v: Double) -> Double { top + margin.top + plotHeight - (maxY > 0 ? v / maxY : 0) * plotHeight }
        var out = "<text x=\"\(margin.left)\" y=\"\(fmt(top + 22))\" font-size=\"14\" font-weight=\"bold\">\(escape(panel.title))</text>\n"
        // Axes and ticks.
        out += "<line x1=\"\(fmt(x(0)))\" y1=\"\(fmt(y(0)))\" x2=\"\(fmt(x(maxX)))\" y2=\"\(fmt(y(0)))\" stroke=\"#9ca3af\"/>\n"
        out += "<line x1=\"\(fmt(x(0)))\" y1=\"\(fmt(y(0)))\" x2=\"\(fmt(x(0)))\" y2=\"\(fmt(y(maxY)))\" stroke=\"#9ca3af\"/>\n"
        for i in 0...4 {
            let v = maxY * Double(i) / 4
            out += "<line x1=\"\(fmt(x(0)))\" y1=\"\(fmt(y(v)))\" x2=\"\(fmt(x(maxX)))\" y2=\"\(fmt(y(v)))\" stroke=\"#f3f4f6\"/>\n"
            out += "<text x=\"\(fmt(margin.left - 6))\" y=\"\(fmt(y(v) + 4))\" text-anchor=\"end\">\(label(v))</text>\n"
            let t = maxX * Double(i) / 4
            out += "<text x=\"\(fmt(x(t)))\" y=\"\(fmt(y(0) + 16))\" text-anchor=\"middle\">\(label(t))s</text>\n"
        }
        out += "<text x=\"\(fmt(margin.left - 50))\" y=\"\(fmt(top + margin.top - 10))\">\(escape(panel.unit))</text>\n"
        // Lines and legend.
        for (i, series) in panel.series.enumerated() {
            let color = Self.palette[i % Self.palette.count]
            let points = series.points.map { "\(fmt(x($0.0))),\(fmt(y($0.1)))" }.joined(separator: " ")
            let dash = i == 0 && panel.series.count > 1 ? " stroke-dasharray=\"6 3\"" : ""
            out += "<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"\(i == 0 ? 2 : 1.5)\"\(dash) points=\"\(points)\"/>\n"
            let ly = top + margin.top + 14 + Double(i) * 18
            out += "<line x1=\"\(fmt(width - margin.right + 12))\" y1=\"\(fmt(ly - 4))\" x2=\"\(fmt(width - margin.right + 36))\" y2=\"\(fmt(ly - 4))\" stroke=\"\(color)\" stroke-width=\"2\"\(dash)/>\n"
            out += "<text x=\"\(fmt(width - margin.right + 42))\" y=\"\(fmt(ly))\">\(escape(series.label))</text>\n"
        }
        return out
    }

    private func niceCeiling(_ v: Double) -> Double {
        guard v > 0 else { return 1 }
        let magnitude = pow(10, floor(log10(v)))
        for step in [1.0, 2, 2.5, 5, 10] where step * magnitude >= v { return step * magnitude }
        return 10 * magnitude
    }

    private func label(_ v: Double) -> String {
        v == v.rounded() ? String(Int(v)) : String(format: "%.1f", v)
    }

    private func fmt(_ v: Double) -> String { String(format: "%.1f", v) }

    private func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}
