/**
 * The console's one chart component: Apache ECharts (only the chart kinds used, so the bundle stays
 * small), resized with its box; `onPick` receives the clicked item's name for drilling into the
 * list behind the chart.
 */
import { BarChart, FunnelChart, GraphChart, LineChart, PieChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

echarts.use([BarChart, FunnelChart, GraphChart, LineChart, PieChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

export type ChartOption = echarts.EChartsCoreOption;

interface Props {
  option: ChartOption;
  /** What the chart shows, for screen readers (a canvas has no text of its own). */
  label: string;
  height?: number;
  onPick?: (name: string, dataIndex: number) => void;
}

export default function Chart({ option, label, height = 280, onPick }: Props) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);

  useEffect(() => {
    const instance = echarts.init(box.current!);
    chart.current = instance;
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(box.current!);
    return () => {
      observer.disconnect();
      instance.dispose();
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption(option, true);
  }, [option]);

  useEffect(() => {
    const instance = chart.current;
    if (!instance || !onPick) return;
    const handler = (params: { name: string; dataIndex: number }) => onPick(params.name, params.dataIndex);
    instance.on('click', handler as never);
    return () => {
      instance.off('click', handler as never);
    };
  }, [onPick]);

  return <div ref={box} role="img" aria-label={label} style={{ width: '100%', height, cursor: onPick ? 'pointer' : undefined }} />;
}
