import asyncio
import uuid


async def test_race(gql):
    email = f"race{uuid.uuid4().hex[:6]}@example.com"
    bodies = await asyncio.gather(*[
        gql(gql.LOGIN, {"input": {"email": email, "password": "wrong-pass-1"}}, source=f"10.77.0.{n}")
        for n in range(30)
    ])
    print([b["errors"][0]["extensions"]["code"] for b in bodies])
    after = await gql(gql.LOGIN, {"input": {"email": email, "password": "wrong-pass-1"}}, source="10.77.1.1")
    print(after["errors"][0]["extensions"]["code"])
