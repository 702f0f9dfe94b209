import type { Metadata } from "next";
import { GameGalleryPage } from "../../../components/GameGalleryPage";

type Props = { params: Promise<{ room: string; game: string }>; searchParams: Promise<{ round?: string | string[] }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { game } = await params;
  return { title: `Game ${game} gallery` };
}

export default async function Page({ params, searchParams }: Props) {
  const { room, game } = await params;
  const { round } = await searchParams;
  // ?round=N opens on round N (the room's gallery links here so a dance can be watched on).
  return <GameGalleryPage roomId={room} gameNumber={game} round={Number(round) || undefined} />;
}
