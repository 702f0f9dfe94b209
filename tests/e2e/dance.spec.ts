// The doodles dance: two players finish a round and both browsers compute the alpha-GAN's morph
// and play it on the server's beat; the backend in use is shown; the dance can be saved as a GIF
// and a PNG strip; the model comes from IndexedDB after a reload; a browser that can't run the
// model says so and still shows the doodles. Screenshots in artifacts/screenshots/dance-*.png.
import { readFile } from "node:fs/promises";
import { expect, test, type Page } from "@playwright/test";
import { decodeGif } from "../helpers/gif-decode";
import { drawStroke } from "../helpers/pointer-draw";

const shots = "artifacts/screenshots";


const circle = Array.from({ length: 17 }, (_, i) => [0.5 + 0.3 * Math.cos((i / 16) * 2 * Math.PI), 0.5 + 0.3 * Math.sin((i / 16) * 2 * Math.PI)] as [number, number]);
const house: [number, number][][] = [
  [[0.2, 0.8], [0.2, 0.45], [0.5, 0.15], [0.8, 0.45], [0.8, 0.8], [0.2, 0.8]],
  [[0.42, 0.8], [0.42, 0.6], [0.58, 0.6], [0.58, 0.8]],
];

/** The dance canvas's pixels (as a data URL) and the segment shown. */
async function danceFrame(page: Page) {
  return page.getByTestId("dance").evaluate((el) => ({
    pixels: (el.querySelector("[data-testid=dance-canvas]") as HTMLCanvasElement).toDataURL(),
    segment: (el as HTMLElement).dataset.segment,
  }));
}

test("two players watch their doodles dance together and save the dance", async ({ browser }) => {
  // A 20 s round, the gallery, the results, two downloads, the gallery page and a reload, with
  // three browsers running the model on a shared 2-core machine.
  test.setTimeout(240_000);
  const laptop = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });
  const viewer = await browser.newContext({ viewport: { width: 800, height: 900 } });
  const ann = await laptop.newPage();
  const bob = await phone.newPage();
  const cy = await viewer.newPage();
  for (const p of [ann, bob, cy]) p.on("pageerror", (e) => console.log(`page error: ${e.message}`));

  await ann.goto("/");
  await ann.getByTestId("nickname-input").fill("Ann");
  await ann.getByTestId("nickname-submit").click();
  await expect(ann).toHaveURL(/\/r\/[A-Z2-9]{6}$/);
  const link = await ann.getByTestId("share-link").inputValue();
  await bob.goto(link);
  await bob.getByTestId("nickname-input").fill("Bob");
  await bob.getByTestId("nickname-submit").click();
  // Cy's browser can't run the model (forced off): the page must say so and carry on.
  await cy.goto(`${link}?model=off`);
  await cy.getByTestId("nickname-input").fill("Cy");
  await cy.getByTestId("nickname-submit").click();
  await expect(ann.getByTestId("player-item")).toHaveCount(3);

  // The model loads in the background as soon as a player is in the room, and says on what.
  // The version is whichever is active (the shipped one, or one the admin test published).
  const active = (await (await ann.request.get("/api/models/active")).json()) as { version: string };
  for (const page of [ann, bob]) {
    const status = page.getByTestId("model-status");
    await expect(status).toHaveAttribute("data-state", "ready", { timeout: 60_000 });
    await expect(status).toHaveAttribute("data-version", active.version);
    await expect(status).toHaveAttribute("data-backend", /^(webgpu|webgl|wasm|cpu)$/);
  }
  await expect(cy.getByTestId("model-status")).toHaveAttribute("data-state", "unavailable");
  const backend = await ann.getByTestId("model-status").getAttribute("data-backend");
  console.log(`backend in use: ${backend}; load ${await ann.getByTestId("model-status").getAttribute("data-load-ms")} ms`);

  await ann.getByTestId("settings-rounds").selectOption("1");
  await ann.getByTestId("settings-seconds").selectOption("20");
  await ann.getByTestId("start-game").click();
  await expect(ann.getByTestId("room")).toHaveAttribute("data-phase", "drawing");
  await expect(bob.getByTestId("room")).toHaveAttribute("data-phase", "drawing");
  for (const s of house) await drawStroke(bob, bob.getByTestId("drawing-canvas"), s);
  await drawStroke(ann, ann.getByTestId("drawing-canvas"), circle);
  await expect(ann.getByTestId("save-status")).toHaveAttribute("data-state", "saved");
  await expect(bob.getByTestId("drawing-canvas")).toHaveAttribute("data-stroke-count", "2");

  // End of round: both pages show the dance of the two doodles and it moves.
  await expect(ann.getByTestId("room")).toHaveAttribute("data-phase", "gallery", { timeout: 20_000 });
  // Cy sees the doodles and a clear message instead of the dance (checked first: the gallery is short).
  await expect(cy.getByTestId("dance-unavailable")).toContainText("can't run the dance model");
  await expect(cy.getByTestId("gallery-item")).toHaveCount(3);
  await cy.screenshot({ path: `${shots}/dance-03-gallery-no-model.png`, fullPage: true });
  for (const page of [ann, bob]) {
    await expect(page.getByTestId("dance")).toHaveAttribute("data-state", "playing", { timeout: 5_000 });
    await expect(page.getByTestId("dance")).toHaveAttribute("data-doodles", "2");
  }
  // The server's refined codes reach both pages, which compute the same frames from them, bit for bit.
  for (const page of [ann, bob]) await expect(page.getByTestId("dance")).toHaveAttribute("data-server-codes", "2", { timeout: 15_000 });
  const framesHash = await ann.getByTestId("dance").getAttribute("data-frames-hash");
  expect(framesHash).toMatch(/^[0-9a-f]{8}$/);
  await expect(bob.getByTestId("dance")).toHaveAttribute("data-frames-hash", framesHash!);
  const danceId = await ann.getByTestId("dance").getAttribute("data-dance-id");
  await expect(bob.getByTestId("dance")).toHaveAttribute("data-dance-id", danceId!);
  // Each part starts on the doodle as drawn, and model frames come between.
  await expect(ann.getByTestId("dance")).toHaveAttribute("data-shown", "doodle", { timeout: 5_000 });
  await expect(ann.getByTestId("dance")).toHaveAttribute("data-shown", "model", { timeout: 5_000 });
  // Same beat: both pages show the same segment (sampled together; a boundary may split one sample).
  let together = false;
  for (let i = 0; i < 5 && !together; i++) {
    const [a, b] = await Promise.all([danceFrame(ann), danceFrame(bob)]);
    together = a.segment === b.segment;
  }
  expect(together).toBe(true);
  const first = await danceFrame(ann);
  await expect.poll(async () => (await danceFrame(ann)).pixels, { timeout: 3_000, intervals: [250] }).not.toBe(first.pixels);
  await expect(ann.getByTestId("dance-label")).toHaveText(/^(Ann|Bob)'s /);
  await ann.screenshot({ path: `${shots}/dance-01-gallery-laptop.png`, fullPage: true });
  await bob.screenshot({ path: `${shots}/dance-02-gallery-phone.png`, fullPage: true });

  // Results: the best doodles dance; controls and downloads.
  await expect(ann.getByTestId("room")).toHaveAttribute("data-phase", "results", { timeout: 20_000 });
  const dance = ann.getByTestId("dance");
  await expect(dance).toHaveAttribute("data-state", "playing");

  const gifDownload = ann.waitForEvent("download");
  await ann.getByTestId("dance-gif").click();
  const gif = await gifDownload;
  expect(gif.suggestedFilename()).toMatch(/\.gif$/);
  const gifBytes = new Uint8Array(await readFile((await gif.path())!));
  const decoded = decodeGif(gifBytes);
  expect(decoded.header).toBe("GIF89a");
  expect(decoded.frames.length).toBeGreaterThan(20);
  console.log(`GIF: ${gifBytes.length} bytes, ${decoded.frames.length} frames, ${decoded.width}x${decoded.height}`);
  // Chromium itself decodes it too.
  const size = await ann.evaluate(async (b64) => {
    const img = new Image();
    img.src = `data:image/gif;base64,${b64}`;
    await img.decode();
    return [img.naturalWidth, img.naturalHeight];
  }, Buffer.from(gifBytes).toString("base64"));
  expect(size).toEqual([decoded.width, decoded.height]);

  const pngDownload = ann.waitForEvent("download");
  await ann.getByTestId("dance-png").click();
  const png = await readFile((await (await pngDownload).path())!);
  expect(png.subarray(1, 4).toString()).toBe("PNG");

  // Pause holds the frame; the AE comparison appears beside it; any two doodles can be picked.
  await ann.getByTestId("dance-play").click();
  const held = await danceFrame(ann);
  await ann.waitForTimeout(400); // a paused animation must show the same pixels a while later
  expect((await danceFrame(ann)).pixels).toBe(held.pixels);
  await ann.getByTestId("dance-play").click();
  await ann.getByTestId("dance-compare").check();
  await expect(ann.getByTestId("dance-ae-canvas")).toBeVisible();
  await expect(dance).toHaveAttribute("data-state", "playing", { timeout: 10_000 });
  await ann.getByTestId("dance-speed").selectOption("2");
  await ann.getByTestId("dance-pick-from").selectOption({ index: 2 });
  await expect(ann.getByTestId("dance-pick-to")).not.toHaveValue("");
  await expect(dance).toHaveAttribute("data-dance-id", /^pick:/);
  await expect(dance).toHaveAttribute("data-state", "playing", { timeout: 10_000 });
  await ann.waitForTimeout(700); // let the comparison run into a morph for the screenshot
  await ann.screenshot({ path: `${shots}/dance-04-results-compare.png`, fullPage: true });
  await bob.screenshot({ path: `${shots}/dance-05-results-phone.png`, fullPage: true });

  // The game's gallery page replays the round's dance.
  const galleryHref = await ann.getByTestId("game-gallery-link").getAttribute("href");
  expect(galleryHref).toMatch(/^\/games\/[0-9a-f-]{36}\/1$/);
  const galleryPage = await laptop.newPage();
  await galleryPage.goto(galleryHref!);
  await expect(galleryPage.getByTestId("gallery-round")).toHaveCount(1);
  await expect(galleryPage.getByTestId("dance")).toHaveAttribute("data-state", "playing", { timeout: 30_000 });
  await expect(galleryPage.getByTestId("dance")).toHaveAttribute("data-doodles", "2");
  await galleryPage.screenshot({ path: `${shots}/dance-06-game-gallery.png`, fullPage: true });
  await galleryPage.close();

  // A reload loads the model from IndexedDB, not the network.
  await ann.reload();
  await expect(ann.getByTestId("model-status")).toHaveAttribute("data-state", "ready", { timeout: 60_000 });
  await expect(ann.getByTestId("model-status")).toHaveAttribute("data-from-cache", "true");
  console.log(`warm load: ${await ann.getByTestId("model-status").getAttribute("data-load-ms")} ms`);

  await laptop.close();
  await phone.close();
  await viewer.close();
});
