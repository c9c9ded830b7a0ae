// ECharts, imported piece by piece: only the bar and pie charts, the components they use and the
// canvas renderer. Loaded lazily by ChartCard.
import { use, init, type ECharts } from 'echarts/core'
import { BarChart, PieChart } from 'echarts/charts'
import { GridComponent, TooltipComponent, AriaComponent } from 'echarts/components'
import { CanvasRenderer } from 'echarts/renderers'

use([BarChart, PieChart, GridComponent, TooltipComponent, AriaComponent, CanvasRenderer])

export type ChartRow = { key: string; label: string; value: number }

/**
 * Draws rows into el. lang ('zh-CN' or 'en-US') sets ECharts' own texts (the accessible
 * description); a chart drawn in another language is made anew.
 */
export function render(el: HTMLElement, kind: 'bar' | 'pie', rows: ChartRow[], existing?: ECharts, lang = 'zh-CN'): ECharts {
  const want = lang.startsWith('en') ? 'EN' : 'ZH'
  let chart = existing
  if (chart && el.dataset.chartLang !== want) {
    chart.dispose()
    chart = undefined
  }
  if (!chart) {
    chart = init(el, undefined, { renderer: 'canvas', locale: want })
    el.dataset.chartLang = want
  }
  const common = {
    animation: false,
    // Decal patterns, so that colour is not the only way to tell the slices apart.
    aria: { enabled: true, decal: { show: true } },
    color: ['#c8161d', '#e6a23c', '#409eff', '#67c23a', '#909399', '#9b59b6', '#16a085', '#d35400'],
    tooltip: { trigger: 'item' as const },
  }
  if (kind === 'pie') {
    chart.setOption(
      {
        ...common,
        series: [{
          type: 'pie', radius: ['35%', '65%'], data: rows.filter((r) => r.value > 0).map((r) => ({ name: r.label, value: r.value })),
          label: { formatter: '{b}\n{c}' },
        }],
      },
      true,
    )
  } else {
    chart.setOption(
      {
        ...common,
        grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
        xAxis: { type: 'category', data: rows.map((r) => r.label), axisLabel: { interval: 0, rotate: rows.length > 4 || rows.some((r) => r.label.length > 5) ? 35 : 0 } },
        yAxis: { type: 'value' },
        series: [{ type: 'bar', data: rows.map((r) => r.value), label: { show: true, position: 'top' }, barMaxWidth: 40 }],
      },
      true,
    )
  }
  return chart
}
