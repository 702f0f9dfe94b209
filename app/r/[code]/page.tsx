import type { Metadata } from "next";
import { RoomPage } from "../../components/RoomPage";

type Props = { params: Promise<{ code: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { code } = await params;
  return { title: `Room ${code.toUpperCase()}` };
}

export default async function Page({ params }: Props) {
  const { code } = await params;
  return <RoomPage code={code} />;
}
