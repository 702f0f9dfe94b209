import type { Metadata } from "next";
import { GameGalleryPage } from "../../../components/GameGalleryPage";

type Props = { params: Promise<{ room: string; game: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { game } = await params;
  return { title: `Game ${game} gallery` };
}

export default async function Page({ params }: Props) {
  const { room, game } = await params;
  return <GameGalleryPage roomId={room} gameNumber={game} />;
}
