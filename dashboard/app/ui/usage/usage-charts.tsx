"use client";

import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { formatBytes } from "@/app/lib/format";

export function DailyUsage({ days }: { days: { day: string; bytes: number }[] }) {
  return (
    <div role="img" aria-label="Bytes ingested per day this month" className="h-48 w-full">
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={days} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="day" tick={{ fontSize: 11 }} tickFormatter={(d: string) => d.slice(5)} />
          <YAxis tick={{ fontSize: 11 }} width={64} tickFormatter={(v: number) => formatBytes(v)} />
          <Tooltip formatter={(v) => formatBytes(Number(v))} />
          <Bar dataKey="bytes" fill="#3b82f6" isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
