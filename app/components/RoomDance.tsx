"use client";
// The room's current dance (room.dance): the round's doodles in the gallery, everyone's best on
// the results page. Any two doodles of the game can be picked to morph.
import { useMemo } from "react";
import type { RoomView } from "../../protocol";
import type { Drawings } from "../lib/drawings";
import { gameDoodles, planDoodles } from "../lib/dance-doodles";
import { Dance } from "./Dance";

export function RoomDance({ room, drawings, offset, title }: { room: RoomView; drawings: Drawings; offset: number; title: string }) {
  const plan = room.dance ?? null;
  const doodles = useMemo(() => (plan ? planDoodles(room, drawings, plan.steps, plan.codes) : []), [plan, room, drawings]);
  const library = useMemo(() => gameDoodles(room, drawings), [room, drawings]);
  if (!plan || doodles.length === 0) return null;
  return (
    <Dance
      id={plan.id}
      startsAt={plan.startsAt}
      doodles={doodles}
      library={library}
      offset={offset}
      title={title}
      fileName={`doodle-dance-${room.code}-${plan.id.slice(0, 8)}`}
      codesPending={!plan.codes}
    />
  );
}
