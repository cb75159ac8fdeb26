// Rapier 2D (Rust, wasm-bindgen, f32 physics): 60 bodies of three shapes fall onto a slope and
// each other for 300 steps; every position and angle is printed as its exact f32 bits, so a single
// rounding difference shows.
import { createRequire } from 'node:module';
export default async function () {
  const RAPIER = createRequire(import.meta.url)('@dimforge/rapier2d-compat');
  await RAPIER.init();
  const world = new RAPIER.World({ x: 0, y: -9.81 });
  world.createCollider(RAPIER.ColliderDesc.cuboid(40, 0.5).setRotation(0.1).setFriction(0.7));
  const bodies = [];
  for (let i = 0; i < 60; i++) {
    const body = world.createRigidBody(RAPIER.RigidBodyDesc.dynamic().setTranslation((i % 10) * 1.3 - 6, 2 + Math.floor(i / 10) * 1.7).setRotation(i * 0.37));
    const shape = i % 3 === 0 ? RAPIER.ColliderDesc.ball(0.4 + (i % 4) * 0.05) : i % 3 === 1 ? RAPIER.ColliderDesc.cuboid(0.5, 0.3) : RAPIER.ColliderDesc.capsule(0.3, 0.2);
    world.createCollider(shape.setRestitution(0.2 + (i % 5) * 0.1).setDensity(1 + i % 3), body);
    bodies.push(body);
  }
  const bits = (x) => (new Uint32Array(new Float32Array([x]).buffer)[0]).toString(16).padStart(8, '0');
  const out = [];
  for (let step = 1; step <= 300; step++) {
    world.step();
    if (step % 100 === 0) out.push(`step ${step}: ` + bodies.map((b) => { const t = b.translation(); return bits(t.x) + bits(t.y) + bits(b.rotation()); }).join(' '));
  }
  let contacts = 0;
  world.narrowPhase.contactPairsWith?.(bodies[0].collider(0), () => contacts++);
  out.push(`contacts ${contacts}`);
  world.free();
  return out.join('\n');
}
